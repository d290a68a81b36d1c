'use strict';

/* global path_to_root */

// The book's search: mdBook's search bar and keys (S or / to search, Esc to
// close, arrows and Enter to pick a result, ?search= in the address), with
// Pagefind underneath instead of mdBook's own index.
//
// mdBook's index splits words at spaces, so a Chinese term such as 粘包 or
// 僵尸进程 found nothing. `cargo xtask build` indexes the built pages with
// Pagefind twice: `pagefind/` as English (words are stemmed, so "sockets"
// finds "socket"), and `pagefind-zh/` with Chinese word segmentation (so
// 进程 finds 僵尸进程). A query with Chinese characters searches the
// Chinese index (and the English one if that finds nothing); any other
// query searches the English index. book.toml sets
// `copy-js = false`, so mdBook ships its search bar without its own engine.

window.search = window.search || {};
(function() {
    const wrapper = document.getElementById('mdbook-search-wrapper');
    const bar = document.getElementById('mdbook-searchbar');
    const barOuter = document.getElementById('mdbook-searchbar-outer');
    const resultsOuter = document.getElementById('mdbook-searchresults-outer');
    const resultsHeader = document.getElementById('mdbook-searchresults-header');
    const resultsList = document.getElementById('mdbook-searchresults');
    const toggle = document.getElementById('mdbook-search-toggle');
    if (!wrapper || !bar || !resultsList || !toggle) {
        return;
    }

    const SEARCH_PARAM = 'search';
    const HIGHLIGHT_PARAM = 'highlight';
    const MAX_RESULTS = 30;
    const PAGE_SIZE = 10;
    const HAN = /\p{Script=Han}/u;
    const root = new URL(path_to_root || './', window.location.href);

    let english = null;
    let chinese = null;
    let latest = 0;

    function hasFocus() {
        return bar === document.activeElement;
    }
    window.search.hasFocus = hasFocus;

    // Loads one of the two Pagefind bundles, once.
    function bundle(dir) {
        return import(new URL(dir + '/pagefind.js', root).href).then(async pagefind => {
            await pagefind.options({highlightParam: HIGHLIGHT_PARAM, excerptLength: 24});
            await pagefind.init();
            return pagefind;
        });
    }

    function engines(term) {
        english = english || bundle('pagefind');
        if (!HAN.test(term)) {
            return [english];
        }
        chinese = chinese || bundle('pagefind-zh');
        return [chinese, english];
    }

    function escapeHTML(text) {
        return text.replace(/[&<>"']/g, c => ({
            '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;',
        })[c]);
    }

    // Pagefind's excerpts are HTML: the page's text, escaped, with <mark>
    // around the matches. Show the matches as mdBook does, in <em>, and
    // let no other tag through.
    function safeExcerpt(excerpt) {
        return (excerpt || '')
            .replace(/<mark>/g, '\u0001')
            .replace(/<\/mark>/g, '\u0002')
            .replace(/</g, '&lt;')
            .replace(/\u0001/g, '<em>')
            .replace(/\u0002/g, '</em>');
    }

    // The section of a page that matches best: the one with most hits.
    function bestSection(page) {
        const sections = page.sub_results || [];
        let best = null;
        for (const section of sections) {
            if (!best || section.locations.length > best.locations.length) {
                best = section;
            }
        }
        return best || page;
    }

    function describe(count, term) {
        if (count === 0) {
            return 'No search results for \'' + term + '\'.';
        }
        return count + (count === 1 ? ' search result' : ' search results')
            + ' for \'' + term + '\':';
    }

    // Loads the next PAGE_SIZE results of `state` and appends them to the
    // list, with a button for the rest while there are more.
    async function showMore(state) {
        const batch = state.found.slice(state.shown, state.shown + PAGE_SIZE);
        state.shown += batch.length;
        const pages = await Promise.all(batch.map(result => result.data()));
        if (state.mine !== latest) {
            return;
        }
        if (HAN.test(state.term)) {
            // Segmented, 多线程网络并发模型 also matches a page that only has
            // 多线程 and 并发模型 apart: put pages with the whole term first.
            const whole = page => (page.content || '').includes(state.term) ? 0 : 1;
            pages.sort((a, b) => whole(a) - whole(b));
        }
        const more = resultsList.querySelector('li.more');
        if (more) {
            more.remove();
        }
        for (const page of pages) {
            const section = bestSection(page);
            const title = page.meta && page.meta.title ? page.meta.title : page.url;
            const where = section !== page && section.title && section.title !== title
                ? title + ' » ' + section.title
                : title;
            const item = document.createElement('li');
            item.innerHTML = '<a href="' + escapeHTML(section.url) + '">'
                + escapeHTML(where) + '</a>'
                + '<span class="teaser" aria-label="Search Result Teaser">'
                + safeExcerpt(section.excerpt) + '</span>';
            resultsList.appendChild(item);
        }
        const left = state.found.length - state.shown;
        if (left > 0) {
            const item = document.createElement('li');
            item.className = 'more';
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = 'Show ' + left + ' more';
            button.addEventListener('click', () => {
                button.disabled = true;
                showMore(state);
            });
            item.appendChild(button);
            resultsList.appendChild(item);
        }
    }

    async function doSearch(term) {
        const mine = ++latest;
        barOuter.classList.add('searching');
        const found = [];
        let failure = null;
        try {
            // The Chinese index first; the English one if it finds nothing
            // (it splits TCP/IP 四层模型 as the Chinese index does not).
            for (const engine of engines(term)) {
                const pagefind = await engine;
                const search = await pagefind.search(term);
                found.push(...search.results.slice(0, MAX_RESULTS));
                if (found.length > 0) {
                    break;
                }
            }
        } catch (err) {
            failure = err;
        }
        if (mine !== latest) {
            return; // A newer search has started.
        }
        while (resultsList.firstChild) {
            resultsList.removeChild(resultsList.firstChild);
        }
        if (failure) {
            barOuter.classList.remove('searching');
            resultsHeader.innerText = window.location.protocol === 'file:'
                ? 'Search needs the book served over HTTP: run `cargo xtask serve`.'
                : 'Search is not available: ' + failure + '. Build the book with `cargo xtask build`.';
            console.error(failure);
            showResults(true);
            return;
        }
        // The first results with their excerpts; the rest on request, since
        // each excerpt costs a look through its whole page.
        await showMore({term, mine, found, shown: 0});
        if (mine !== latest) {
            return;
        }
        barOuter.classList.remove('searching');
        resultsHeader.innerText = describe(found.length, term);
        showResults(true);
    }

    function showResults(yes) {
        resultsOuter.classList.toggle('hidden', !yes);
    }

    function showSearch(yes) {
        wrapper.classList.toggle('hidden', !yes);
        toggle.setAttribute('aria-expanded', yes ? 'true' : 'false');
        if (yes) {
            window.scrollTo(0, 0);
            bar.select();
        } else {
            for (const item of resultsList.children) {
                item.classList.remove('focus');
            }
        }
    }

    // Keeps ?search= in the address in step with the bar, so a search can
    // be shared, reloaded, and left with the back button.
    function setSearchParam(term) {
        const url = new URL(window.location.href);
        const first = !url.searchParams.has(SEARCH_PARAM);
        url.searchParams.delete(HIGHLIGHT_PARAM);
        if (term === '') {
            url.searchParams.delete(SEARCH_PARAM);
        } else {
            url.searchParams.set(SEARCH_PARAM, term);
            url.hash = '';
        }
        if (first && term !== '') {
            history.pushState({}, document.title, url.href);
        } else {
            history.replaceState({}, document.title, url.href);
        }
    }

    function onInput() {
        const term = bar.value.trim();
        if (term === '') {
            bar.classList.remove('active');
            latest++;
            barOuter.classList.remove('searching');
            showResults(false);
        } else {
            bar.classList.add('active');
            doSearch(term);
        }
        setSearchParam(term);
    }

    function go(item) {
        const link = item && item.querySelector('a');
        if (link) {
            window.location.assign(link.href);
        }
    }

    function onKey(e) {
        if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) {
            return;
        }
        const focused = resultsList.querySelector('li.focus');
        if (e.key === 'Escape') {
            e.preventDefault();
            bar.classList.remove('active');
            setSearchParam('');
            showSearch(false);
            bar.blur();
        } else if (!hasFocus() && !focused && (e.key === 's' || e.key === '/')) {
            if (/^(?:input|select|textarea)$/i.test(e.target.nodeName)) {
                return;
            }
            e.preventDefault();
            showSearch(true);
        } else if (hasFocus() && (e.key === 'ArrowDown' || e.key === 'Enter')) {
            e.preventDefault();
            const first = resultsList.firstElementChild;
            if (first) {
                bar.blur();
                first.classList.add('focus');
                if (e.key === 'Enter') {
                    go(first);
                }
            }
        } else if (focused && (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'Enter')) {
            e.preventDefault();
            if (e.key === 'Enter') {
                go(focused);
                return;
            }
            const next = e.key === 'ArrowDown'
                ? focused.nextElementSibling
                : focused.previousElementSibling;
            focused.classList.remove('focus');
            if (next) {
                next.classList.add('focus');
            } else if (e.key === 'ArrowUp') {
                bar.select();
            } else {
                focused.classList.add('focus');
            }
        }
    }

    // Marks the words searched for on the page a result led to.
    function highlight() {
        if (!new URL(window.location.href).searchParams.has(HIGHLIGHT_PARAM)) {
            return;
        }
        import(new URL('pagefind/pagefind-highlight.js', root).href).then(module => {
            const PagefindHighlight = module.default;
            new PagefindHighlight({
                highlightParam: HIGHLIGHT_PARAM,
                markContext: '#mdbook-content main',
                markOptions: {className: 'search-highlight', exclude: ['text']},
                addStyles: false,
            });
        }).catch(err => console.error(err));
    }

    function fromAddress() {
        const term = new URL(window.location.href).searchParams.get(SEARCH_PARAM);
        if (term) {
            showSearch(true);
            bar.value = term;
            bar.classList.add('active');
            doSearch(term.trim());
        } else {
            showSearch(false);
        }
    }

    toggle.addEventListener('click', () => {
        showSearch(wrapper.classList.contains('hidden'));
    });
    bar.addEventListener('input', onInput);
    document.addEventListener('keydown', onKey);
    // Enter in the bar must not reload the page.
    barOuter.addEventListener('submit', e => e.preventDefault());
    window.addEventListener('popstate', fromAddress);
    fromAddress();
    highlight();
})();
