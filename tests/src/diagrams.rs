//! The diagram check: every SVG under `src/img/` is legible in every mdBook
//! theme, dark ones included.
//!
//! An SVG shown in an `<img>` cannot see the theme the reader picked (only
//! the system's colour preference), so the diagrams do not adapt. Instead,
//! `theme/book.css` puts every image of a chapter on a white card, in all
//! five themes. A diagram is therefore drawn for white, and this check holds
//! it to WCAG AA against what is really behind each mark: for every piece of
//! text, and every line, outline and arrowhead, it works out its colour (the
//! `<style>` rules, `style` attributes, presentation attributes and
//! inheritance, with opacity), where it is (transforms included), and the
//! colour of whatever was painted under it before (a filled box, or the white
//! card). Text needs 4.5:1, lines and arrowheads 3:1.
//!
//! It also refuses what would defeat the card: a diagram that restyles
//! itself with `@media (prefers-color-scheme: …)` (it would turn light on
//! the white card when the system prefers dark), and a page that embeds an
//! SVG other than as an image (`<svg>`, `<object>`, `<embed>`, `<iframe>`),
//! which the card does not reach.
//!
//! Geometry is estimated, not rendered: a text's extent comes from its
//! font size and number of characters, and a filled path counts as the
//! polygon through its points. That is close enough for the diagrams the
//! book draws by hand; `<use>` and `<image>` are not followed.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use roxmltree::{Document, Node, NodeId};
use simplecss::{AttributeOperator, PseudoClass, StyleSheet};
use svgtypes::{Length, LengthUnit, Paint as SvgPaint, SimplePathSegment, Transform};

use crate::integrity::Problem;

/// WCAG 2 AA, 1.4.3: text against its background.
pub const TEXT_CONTRAST: f64 = 4.5;
/// WCAG 2 AA, 1.4.11: lines, outlines and arrowheads against theirs.
pub const LINE_CONTRAST: f64 = 3.0;

/// What `theme/book.css` puts behind every image, in every theme.
const CARD: Rgb = Rgb(1.0, 1.0, 1.0);

/// Runs the diagram checks on the book rooted at `root`.
pub fn check(root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for file in svg_files(&root.join("src/img")) {
        let shown = file.strip_prefix(root).unwrap_or(&file).to_owned();
        match fs::read_to_string(&file) {
            Ok(text) => problems.extend(check_svg(&shown, &text)),
            Err(err) => problems.push(Problem {
                file: shown,
                line: 1,
                message: format!("cannot read this diagram: {err}"),
            }),
        }
    }
    problems.extend(pages_show_diagrams_as_images(root));
    problems
}

/// The problems of one SVG document; `file` is only used in messages.
pub fn check_svg(file: &Path, text: &str) -> Vec<Problem> {
    let problem = |line: usize, message: String| Problem {
        file: file.to_owned(),
        line,
        message,
    };
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.contains("prefers-color-scheme") {
            problems.push(problem(
                index + 1,
                "this diagram restyles itself for the system's colour scheme; in the book \
                 every diagram sits on a white card in every theme (theme/book.css), so \
                 draw it once, for white, and drop the media query"
                    .into(),
            ));
        }
    }
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            let pos = err.pos();
            problems.push(problem(
                pos.row as usize,
                format!("this diagram is not well-formed XML: {err}"),
            ));
            return problems;
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        problems.push(problem(1, "this file's root element is not <svg>".into()));
        return problems;
    }
    let drawing = Drawing::new(&doc);
    let line_of = |node: Node| doc.text_pos_at(node.range().start).row as usize;

    for (index, mark) in drawing.marks.iter().enumerate() {
        let node = doc.get_node(mark.node).expect("a node of this document");
        match &mark.kind {
            MarkKind::Text { runs, samples } => {
                let behind = drawing.colours_behind(index, samples);
                for run in runs {
                    if let Some(worst) = worst_contrast(&run.colours, run.alpha, &behind)
                        && worst.ratio < TEXT_CONTRAST
                    {
                        let text_node = doc.get_node(run.node).expect("a node");
                        problems.push(problem(
                            line_of(text_node),
                            format!(
                                "text \"{}\" is {} on {}: contrast {:.2}:1, and text \
                                     needs {TEXT_CONTRAST}:1 (WCAG AA). Every diagram is \
                                     shown on white in every theme: darken the text, or \
                                     lighten what is behind it",
                                shorten(&run.text),
                                worst.fore.hex(),
                                worst.back_description(),
                                worst.ratio,
                            ),
                        ));
                    }
                }
            }
            MarkKind::Line {
                colours,
                alpha,
                samples,
                what,
            } => {
                // A line may start inside the dot it leaves or end on the
                // box it points at: it is legible if most of it is.
                let mut failing: Vec<Worst> = samples
                    .iter()
                    .filter_map(|&point| {
                        let behind = drawing.colours_behind(index, &[point]);
                        worst_contrast(colours, *alpha, &behind)
                    })
                    .filter(|worst| worst.ratio < LINE_CONTRAST)
                    .collect();
                if failing.len() * 2 > samples.len() {
                    failing.sort_by(|a, b| a.ratio.total_cmp(&b.ratio));
                    let worst = &failing[0];
                    problems.push(problem(
                        line_of(node),
                        format!(
                            "{what} <{}> is {} on {}: contrast {:.2}:1, and lines, \
                             outlines and arrowheads need {LINE_CONTRAST}:1 (WCAG \
                             1.4.11). Every diagram is shown on white in every theme: \
                             darken it",
                            node.tag_name().name(),
                            worst.fore.hex(),
                            worst.back_description(),
                            worst.ratio,
                        ),
                    ));
                }
            }
        }
    }
    problems
}

/// Pages show diagrams as images, which the white card reaches, never as
/// inline `<svg>`, `<object>`, `<embed>` or `<iframe>`.
fn pages_show_diagrams_as_images(root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut pages: Vec<PathBuf> = walk(&root.join("src"))
        .into_iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    for page in pages {
        let Ok(text) = fs::read_to_string(&page) else {
            continue;
        };
        let shown = page.strip_prefix(root).unwrap_or(&page).to_owned();
        let mut fence: Option<String> = None;
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let ticks: String = trimmed
                .chars()
                .take_while(|&c| c == '`' || c == '~')
                .collect();
            if ticks.len() >= 3 {
                match &fence {
                    Some(open) if ticks.starts_with(open.as_str()) => fence = None,
                    Some(_) => {}
                    None => fence = Some(ticks),
                }
                continue;
            }
            if fence.is_some() {
                continue;
            }
            let lower = line.to_ascii_lowercase();
            for tag in ["<svg", "<object", "<embed", "<iframe"] {
                if lower.contains(tag) {
                    problems.push(Problem {
                        file: shown.clone(),
                        line: index + 1,
                        message: format!(
                            "`{tag}` puts a picture on the page outside an image, where the \
                             white card of theme/book.css does not reach it: save the \
                             diagram as src/img/<name>.svg and show it with \
                             `![alt text](img/<name>.svg)`"
                        ),
                    });
                }
            }
        }
    }
    problems
}

fn svg_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "svg"))
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(37).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// An sRGB colour, each channel in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f64, f64, f64);

impl Rgb {
    fn from_svg(colour: svgtypes::Color) -> (Rgb, f64) {
        (
            Rgb(
                f64::from(colour.red) / 255.0,
                f64::from(colour.green) / 255.0,
                f64::from(colour.blue) / 255.0,
            ),
            f64::from(colour.alpha) / 255.0,
        )
    }

    /// WCAG 2 relative luminance.
    fn luminance(self) -> f64 {
        let linear = |c: f64| {
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// `self` painted with `alpha` over `below`.
    fn over(self, alpha: f64, below: Rgb) -> Rgb {
        let mix = |a: f64, b: f64| a * alpha + b * (1.0 - alpha);
        Rgb(
            mix(self.0, below.0),
            mix(self.1, below.1),
            mix(self.2, below.2),
        )
    }

    fn hex(self) -> String {
        let byte = |c: f64| (c * 255.0).round().clamp(0.0, 255.0) as u8;
        format!(
            "#{:02x}{:02x}{:02x}",
            byte(self.0),
            byte(self.1),
            byte(self.2)
        )
    }
}

/// WCAG 2 contrast ratio, 1 to 21.
fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

struct Worst {
    ratio: f64,
    fore: Rgb,
    back: Rgb,
}

impl Worst {
    fn back_description(&self) -> String {
        if self.back == CARD {
            "the white card (#ffffff)".into()
        } else {
            self.back.hex()
        }
    }
}

/// The lowest contrast between any of `colours` (painted with `alpha`) and
/// any colour in `behind`.
fn worst_contrast(colours: &[Rgb], alpha: f64, behind: &[Rgb]) -> Option<Worst> {
    let mut worst: Option<Worst> = None;
    for &colour in colours {
        for &back in behind {
            let fore = colour.over(alpha, back);
            let ratio = contrast(fore, back);
            if worst.as_ref().is_none_or(|w| ratio < w.ratio) {
                worst = Some(Worst { ratio, fore, back });
            }
        }
    }
    worst
}

/// A paint after the cascade: nothing, or the colours it can show (one for
/// a plain colour, every stop or part of a gradient or pattern).
#[derive(Debug, Clone, PartialEq)]
enum Paint {
    None,
    Colours(Vec<Rgb>, f64),
}

/// The computed style of one element: what the diagrams use of CSS.
#[derive(Debug, Clone)]
struct Style {
    fill: Paint,
    stroke: Paint,
    color: (Rgb, f64),
    fill_opacity: f64,
    stroke_opacity: f64,
    stroke_width: f64,
    font_size: f64,
    monospace: bool,
    anchor: Anchor,
    /// The product of `opacity` on the element and its ancestors.
    opacity: f64,
    visible: bool,
    displayed: bool,
    /// From the user space of the element to the viewport.
    ctm: Transform,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Style {
    fn initial() -> Style {
        Style {
            fill: Paint::Colours(vec![Rgb(0.0, 0.0, 0.0)], 1.0),
            stroke: Paint::None,
            color: (Rgb(0.0, 0.0, 0.0), 1.0),
            fill_opacity: 1.0,
            stroke_opacity: 1.0,
            stroke_width: 1.0,
            font_size: 16.0,
            monospace: false,
            anchor: Anchor::Start,
            opacity: 1.0,
            visible: true,
            displayed: true,
            ctm: Transform::default(),
        }
    }
}

/// Elements whose content is not painted where it stands.
const NOT_RENDERED: &[&str] = &[
    "defs",
    "marker",
    "pattern",
    "clipPath",
    "mask",
    "symbol",
    "linearGradient",
    "radialGradient",
    "filter",
    "title",
    "desc",
    "metadata",
    "style",
    "script",
];

const SHAPES: &[&str] = &[
    "rect", "circle", "ellipse", "line", "polyline", "polygon", "path",
];

/// What the check looks at, in paint order.
struct Drawing {
    marks: Vec<Mark>,
    /// Filled shapes in paint order, each with the number of marks painted
    /// before it: mark `i` is painted over the shapes whose number is `<= i`.
    fills: Vec<(usize, Filled)>,
}

struct Mark {
    node: NodeId,
    kind: MarkKind,
}

enum MarkKind {
    Text {
        runs: Vec<Run>,
        /// Points in viewport space where the text is.
        samples: Vec<(f64, f64)>,
    },
    Line {
        colours: Vec<Rgb>,
        alpha: f64,
        samples: Vec<(f64, f64)>,
        what: &'static str,
    },
}

/// Characters of one colour in a `<text>`: the element's own, or a
/// `<tspan>`'s.
struct Run {
    node: NodeId,
    text: String,
    colours: Vec<Rgb>,
    alpha: f64,
}

/// A filled region, in the user space of its element.
#[derive(Debug, Clone)]
enum Area {
    Rect { x: f64, y: f64, w: f64, h: f64 },
    Ellipse { cx: f64, cy: f64, rx: f64, ry: f64 },
    Polygons(Vec<Vec<(f64, f64)>>),
}

impl Area {
    fn contains(&self, (x, y): (f64, f64)) -> bool {
        match *self {
            Area::Rect { x: rx, y: ry, w, h } => x >= rx && x <= rx + w && y >= ry && y <= ry + h,
            Area::Ellipse { cx, cy, rx, ry } => {
                rx > 0.0 && ry > 0.0 && ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2) <= 1.0
            }
            Area::Polygons(ref polygons) => {
                // Even-odd rule over every subpath.
                let mut inside = false;
                for polygon in polygons {
                    let n = polygon.len();
                    for i in 0..n {
                        let (x1, y1) = polygon[i];
                        let (x2, y2) = polygon[(i + 1) % n];
                        if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                            inside = !inside;
                        }
                    }
                }
                inside
            }
        }
    }
}

struct Filled {
    area: Area,
    /// Viewport to the shape's user space.
    inverse: Option<Transform>,
    colours: Vec<Rgb>,
    alpha: f64,
}

impl Drawing {
    fn new(doc: &Document) -> Drawing {
        let mut sheet = StyleSheet::new();
        for node in doc.descendants().filter(|n| n.has_tag_name("style")) {
            if let Some(text) = node.text() {
                sheet.parse_more(text);
            }
        }
        let resolver = Resolver {
            sheet,
            ids: doc
                .descendants()
                .filter_map(|n| Some((n.attribute("id")?, n)))
                .collect(),
        };
        let mut styles: HashMap<NodeId, Style> = HashMap::new();
        resolver.compute(doc.root_element(), &Style::initial(), &mut styles);

        let mut drawing = Drawing {
            marks: Vec::new(),
            fills: Vec::new(),
        };
        drawing.collect(doc.root_element(), &styles, &resolver);
        drawing
    }

    fn collect<'a>(
        &mut self,
        node: Node<'a, 'a>,
        styles: &HashMap<NodeId, Style>,
        resolver: &Resolver<'a>,
    ) {
        let name = node.tag_name().name();
        let Some(style) = styles.get(&node.id()) else {
            return;
        };
        if !style.displayed || NOT_RENDERED.contains(&name) {
            return;
        }
        if name == "text" {
            if style.visible
                && let Some(mark) = text_mark(node, styles)
            {
                self.marks.push(mark);
            }
            return;
        }
        if SHAPES.contains(&name) && style.visible {
            let geometry = Geometry::of(node);
            if let Paint::Colours(colours, alpha) = &style.stroke {
                let alpha = alpha * style.stroke_opacity * style.opacity;
                if alpha > 0.0 && style.stroke_width > 0.0 && !geometry.outline.is_empty() {
                    self.marks.push(Mark {
                        node: node.id(),
                        kind: MarkKind::Line {
                            colours: colours.clone(),
                            alpha,
                            samples: geometry
                                .outline
                                .iter()
                                .map(|&p| apply(&style.ctm, p))
                                .collect(),
                            what: if name == "line" || name == "polyline" || name == "path" {
                                "the line"
                            } else {
                                "the outline of"
                            },
                        },
                    });
                }
            }
            // Arrowheads and other markers at the ends of the shape.
            for (property, end) in [("marker-start", false), ("marker-end", true)] {
                let Some(marker) = resolver
                    .declared(node, property)
                    .and_then(|value| resolver.url_target(value))
                else {
                    continue;
                };
                let point = if end {
                    geometry.ends.1
                } else {
                    geometry.ends.0
                };
                let Some(point) = point else { continue };
                let at = apply(&style.ctm, point);
                for part in marker
                    .descendants()
                    .filter(|n| SHAPES.contains(&n.tag_name().name()))
                {
                    let Some(part_style) = styles.get(&part.id()) else {
                        continue;
                    };
                    for paint in [&part_style.fill, &part_style.stroke] {
                        if let Paint::Colours(colours, alpha) = paint {
                            self.marks.push(Mark {
                                node: part.id(),
                                kind: MarkKind::Line {
                                    colours: colours.clone(),
                                    alpha: alpha * part_style.opacity * style.opacity,
                                    samples: vec![at],
                                    what: "the arrowhead or marker",
                                },
                            });
                        }
                    }
                }
            }
            // The shape's own fill goes under what comes after it, not under
            // its own outline and markers: those are held against what the
            // shape stands on.
            if let (Some(area), Paint::Colours(colours, alpha)) = (&geometry.area, &style.fill) {
                let alpha = alpha * style.fill_opacity * style.opacity;
                if alpha > 0.0 {
                    self.fills.push((
                        self.marks.len(),
                        Filled {
                            area: area.clone(),
                            inverse: invert(&style.ctm),
                            colours: colours.clone(),
                            alpha,
                        },
                    ));
                }
            }
            return;
        }
        for child in node.children().filter(Node::is_element) {
            self.collect(child, styles, resolver);
        }
    }

    /// The colours that can be behind the points `samples` when mark
    /// `index` is painted: the white card, with every filled shape painted
    /// before the mark over it.
    fn colours_behind(&self, index: usize, samples: &[(f64, f64)]) -> Vec<Rgb> {
        let mut all: Vec<Rgb> = Vec::new();
        for &point in samples {
            let mut behind = vec![CARD];
            for (_, fill) in self.fills.iter().filter(|(before, _)| *before <= index) {
                let Some(inverse) = &fill.inverse else {
                    continue;
                };
                if !fill.area.contains(apply(inverse, point)) {
                    continue;
                }
                let mut next = Vec::new();
                for &below in &behind {
                    for &colour in &fill.colours {
                        next.push(colour.over(fill.alpha, below));
                    }
                }
                next.dedup();
                next.truncate(16);
                behind = next;
            }
            for colour in behind {
                if !all.contains(&colour) {
                    all.push(colour);
                }
            }
        }
        all
    }
}

fn invert(ts: &Transform) -> Option<Transform> {
    let det = ts.a * ts.d - ts.b * ts.c;
    if det.abs() < 1e-12 {
        return None;
    }
    Some(Transform::new(
        ts.d / det,
        -ts.b / det,
        -ts.c / det,
        ts.a / det,
        (ts.c * ts.f - ts.d * ts.e) / det,
        (ts.b * ts.e - ts.a * ts.f) / det,
    ))
}

fn apply(ts: &Transform, (x, y): (f64, f64)) -> (f64, f64) {
    (ts.a * x + ts.c * y + ts.e, ts.b * x + ts.d * y + ts.f)
}

fn text_mark(node: Node, styles: &HashMap<NodeId, Style>) -> Option<Mark> {
    let style = styles.get(&node.id())?;
    let mut runs = Vec::new();
    let mut all_text = String::new();
    for part in node.descendants().filter(Node::is_element) {
        let Some(part_style) = styles.get(&part.id()) else {
            continue;
        };
        let own: String = part
            .children()
            .filter(Node::is_text)
            .filter_map(|t| t.text())
            .collect();
        all_text.push_str(&own);
        if own.trim().is_empty() || !part_style.visible || !part_style.displayed {
            continue;
        }
        if let Paint::Colours(colours, alpha) = &part_style.fill {
            runs.push(Run {
                node: part.id(),
                text: own,
                colours: colours.clone(),
                alpha: alpha * part_style.fill_opacity * part_style.opacity,
            });
        }
    }
    if runs.is_empty() {
        return None;
    }
    let first = |name: &str| {
        node.attribute(name)
            .and_then(|list| list.split([' ', ',']).find(|s| !s.is_empty()))
            .and_then(|s| Length::from_str(s).ok())
            .map_or(0.0, |l| l.number)
    };
    let (x, y) = (first("x"), first("y"));
    let size = style.font_size;
    let width: f64 = all_text
        .trim()
        .chars()
        .map(|c| {
            if is_wide(c) {
                1.0
            } else if style.monospace {
                0.6
            } else {
                0.55
            }
        })
        .sum::<f64>()
        * size;
    let left = match style.anchor {
        Anchor::Start => x,
        Anchor::Middle => x - width / 2.0,
        Anchor::End => x - width,
    };
    // Across the middle of the x-height, where the strokes of the letters are.
    let mid = y - 0.35 * size;
    let samples = [0.1, 0.5, 0.9]
        .iter()
        .map(|f| apply(&style.ctm, (left + f * width, mid)))
        .collect();
    Some(Mark {
        node: node.id(),
        kind: MarkKind::Text { runs, samples },
    })
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Where the markers at the start and at the end of a shape sit.
type Ends = (Option<(f64, f64)>, Option<(f64, f64)>);

/// A shape's filled area, points on its outline, and where a marker at
/// each end sits: a few units in from the end, inside the arrowhead.
struct Geometry {
    area: Option<Area>,
    outline: Vec<(f64, f64)>,
    ends: Ends,
}

impl Geometry {
    fn of(node: Node) -> Geometry {
        let num = |name: &str| {
            node.attribute(name)
                .and_then(|v| Length::from_str(v).ok())
                .filter(|l| l.unit != LengthUnit::Percent)
                .map_or(0.0, |l| l.number)
        };
        match node.tag_name().name() {
            "rect" => {
                let (x, y, w, h) = (num("x"), num("y"), num("width"), num("height"));
                Geometry {
                    area: (w > 0.0 && h > 0.0).then_some(Area::Rect { x, y, w, h }),
                    outline: vec![
                        (x + w / 2.0, y),
                        (x + w, y + h / 2.0),
                        (x + w / 2.0, y + h),
                        (x, y + h / 2.0),
                    ],
                    ends: (None, None),
                }
            }
            name @ ("circle" | "ellipse") => {
                let (cx, cy) = (num("cx"), num("cy"));
                let (rx, ry) = if name == "circle" {
                    (num("r"), num("r"))
                } else {
                    (num("rx"), num("ry"))
                };
                Geometry {
                    area: Some(Area::Ellipse { cx, cy, rx, ry }),
                    outline: vec![(cx, cy - ry), (cx + rx, cy), (cx, cy + ry), (cx - rx, cy)],
                    ends: (None, None),
                }
            }
            "line" => {
                let (a, b) = ((num("x1"), num("y1")), (num("x2"), num("y2")));
                Geometry {
                    area: None,
                    outline: vec![a, ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0), b],
                    ends: (Some(inset(a, b)), Some(inset(b, a))),
                }
            }
            name @ ("polyline" | "polygon") => {
                let points: Vec<(f64, f64)> =
                    svgtypes::PointsParser::from(node.attribute("points").unwrap_or("")).collect();
                Geometry {
                    area: (points.len() >= 3).then(|| Area::Polygons(vec![points.clone()])),
                    outline: with_midpoints(&points, name == "polygon"),
                    ends: ends_of(&points),
                }
            }
            "path" => path_geometry(node.attribute("d").unwrap_or("")),
            _ => Geometry {
                area: None,
                outline: Vec::new(),
                ends: (None, None),
            },
        }
    }
}

/// A point 4 units from `end` toward `other` (at most halfway).
fn inset(end: (f64, f64), other: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (other.0 - end.0, other.1 - end.1);
    let length = dx.hypot(dy);
    if length == 0.0 {
        return end;
    }
    let t = (4.0 / length).min(0.5);
    (end.0 + dx * t, end.1 + dy * t)
}

fn ends_of(points: &[(f64, f64)]) -> Ends {
    match points {
        [] => (None, None),
        [only] => (Some(*only), Some(*only)),
        [a, b, ..] => {
            let (y, z) = (points[points.len() - 2], points[points.len() - 1]);
            (Some(inset(*a, *b)), Some(inset(z, y)))
        }
    }
}

fn with_midpoints(points: &[(f64, f64)], closed: bool) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for (i, &p) in points.iter().enumerate() {
        out.push(p);
        let next = points
            .get(i + 1)
            .or(if closed { points.first() } else { None });
        if let Some(&q) = next {
            out.push(((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0));
        }
    }
    out
}

fn path_geometry(d: &str) -> Geometry {
    let mut polygons: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut outline = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    // Every point in drawing order, control points included: the
    // direction in which a path starts and ends.
    let mut trail: Vec<(f64, f64)> = Vec::new();
    for segment in svgtypes::SimplifyingPathParser::from(d) {
        let Ok(segment) = segment else { break };
        match segment {
            SimplePathSegment::MoveTo { x, y } => {
                if current.len() >= 3 {
                    polygons.push(std::mem::take(&mut current));
                }
                current.clear();
                current.push((x, y));
                outline.push((x, y));
            }
            SimplePathSegment::LineTo { x, y } => {
                if let Some(&(px, py)) = current.last() {
                    outline.push(((px + x) / 2.0, (py + y) / 2.0));
                }
                current.push((x, y));
                outline.push((x, y));
            }
            SimplePathSegment::CurveTo {
                x1,
                y1,
                x2,
                y2,
                x,
                y,
            } => {
                if let Some(&p0) = current.last() {
                    // A point on the curve itself, at t = 1/2.
                    outline.push((
                        (p0.0 + 3.0 * x1 + 3.0 * x2 + x) / 8.0,
                        (p0.1 + 3.0 * y1 + 3.0 * y2 + y) / 8.0,
                    ));
                }
                current.extend([(x1, y1), (x2, y2), (x, y)]);
                outline.push((x, y));
            }
            SimplePathSegment::Quadratic { x1, y1, x, y } => {
                if let Some(&p0) = current.last() {
                    outline.push(((p0.0 + 2.0 * x1 + x) / 4.0, (p0.1 + 2.0 * y1 + y) / 4.0));
                }
                current.extend([(x1, y1), (x, y)]);
                outline.push((x, y));
            }
            SimplePathSegment::ClosePath => {}
        }
        let drawn: &[(f64, f64)] = match segment {
            SimplePathSegment::MoveTo { x, y } | SimplePathSegment::LineTo { x, y } => &[(x, y)],
            SimplePathSegment::CurveTo {
                x1,
                y1,
                x2,
                y2,
                x,
                y,
            } => &[(x1, y1), (x2, y2), (x, y)],
            SimplePathSegment::Quadratic { x1, y1, x, y } => &[(x1, y1), (x, y)],
            SimplePathSegment::ClosePath => &[],
        };
        for &point in drawn {
            if trail.last() != Some(&point) {
                trail.push(point);
            }
        }
    }
    if current.len() >= 3 {
        polygons.push(current);
    }
    Geometry {
        area: (!polygons.is_empty()).then_some(Area::Polygons(polygons)),
        outline,
        ends: ends_of(&trail),
    }
}

/// The cascade: `<style>` rules, `style` attributes, presentation
/// attributes, inheritance.
struct Resolver<'a> {
    sheet: StyleSheet<'a>,
    ids: HashMap<&'a str, Node<'a, 'a>>,
}

impl<'a> Resolver<'a> {
    /// The value `node` declares for `property`, most important first: its
    /// `style` attribute, then the style sheet (highest specificity, then
    /// latest), then the presentation attribute.
    fn declared(&self, node: Node<'a, 'a>, property: &str) -> Option<&'a str> {
        if let Some(style) = node.attribute("style") {
            let mut found = None;
            for declaration in simplecss::DeclarationTokenizer::from(style) {
                if declaration.name == property {
                    found = Some(declaration.value);
                }
            }
            if found.is_some() {
                return found;
            }
        }
        let element = XmlElement(node);
        // The rules are sorted by specificity, stably: the last match wins.
        let mut found = None;
        for rule in &self.sheet.rules {
            if rule.selector.matches(&element) {
                for declaration in &rule.declarations {
                    if declaration.name == property {
                        found = Some(declaration.value);
                    }
                }
            }
        }
        found.or_else(|| node.attribute(property))
    }

    fn url_target(&self, value: &str) -> Option<Node<'a, 'a>> {
        let id = value
            .trim()
            .strip_prefix("url(")?
            .strip_suffix(')')?
            .trim()
            .trim_matches(['"', '\''])
            .strip_prefix('#')?;
        self.ids.get(id).copied()
    }

    fn compute(&self, node: Node<'a, 'a>, parent: &Style, styles: &mut HashMap<NodeId, Style>) {
        let mut style = parent.clone();
        let get = |property: &str| {
            self.declared(node, property)
                .map(str::trim)
                .filter(|v| *v != "inherit")
        };
        if let Some(value) = get("color")
            && let Ok(colour) = svgtypes::Color::from_str(value)
        {
            style.color = Rgb::from_svg(colour);
        }
        if let Some(value) = get("font-size") {
            style.font_size = font_size(value, parent.font_size);
        }
        if let Some(value) = get("font-family") {
            style.monospace = value.contains("mono") || value.contains("Courier");
        }
        if let Some(value) = get("text-anchor") {
            style.anchor = match value {
                "middle" => Anchor::Middle,
                "end" => Anchor::End,
                _ => Anchor::Start,
            };
        }
        let number = |value: Option<&str>, default: f64| {
            value
                .and_then(|v| Length::from_str(v).ok())
                .map_or(default, |l| match l.unit {
                    LengthUnit::Percent => l.number / 100.0,
                    _ => l.number,
                })
        };
        style.fill_opacity = number(get("fill-opacity"), parent.fill_opacity);
        style.stroke_opacity = number(get("stroke-opacity"), parent.stroke_opacity);
        style.stroke_width = number(get("stroke-width"), parent.stroke_width);
        style.opacity = parent.opacity * number(get("opacity"), 1.0).clamp(0.0, 1.0);
        if let Some(value) = get("visibility") {
            style.visible = value == "visible";
        }
        style.displayed = parent.displayed && get("display") != Some("none");
        if let Some(value) = get("fill") {
            style.fill = self.paint(value, &style, &parent.fill);
        }
        if let Some(value) = get("stroke") {
            style.stroke = self.paint(value, &style, &parent.stroke);
        }
        if let Some(value) = node.attribute("transform")
            && let Ok(ts) = Transform::from_str(value)
        {
            style.ctm = multiply(&parent.ctm, &ts);
        }
        for child in node.children().filter(Node::is_element) {
            self.compute(child, &style, styles);
        }
        styles.insert(node.id(), style);
    }

    fn paint(&self, value: &str, style: &Style, inherited: &Paint) -> Paint {
        match SvgPaint::from_str(value) {
            Ok(SvgPaint::None) => Paint::None,
            Ok(SvgPaint::Inherit) => inherited.clone(),
            Ok(SvgPaint::CurrentColor) => Paint::Colours(vec![style.color.0], style.color.1),
            Ok(SvgPaint::Color(colour)) => {
                let (rgb, alpha) = Rgb::from_svg(colour);
                Paint::Colours(vec![rgb], alpha)
            }
            Ok(SvgPaint::FuncIRI(id, fallback)) => {
                let colours = self
                    .ids
                    .get(id)
                    .map(|server| self.server_colours(*server, 0))
                    .unwrap_or_default();
                if !colours.is_empty() {
                    Paint::Colours(colours, 1.0)
                } else if let Some(svgtypes::PaintFallback::Color(colour)) = fallback {
                    let (rgb, alpha) = Rgb::from_svg(colour);
                    Paint::Colours(vec![rgb], alpha)
                } else {
                    Paint::None
                }
            }
            // context-fill and context-stroke, in markers: the line they
            // end is checked already.
            Ok(_) => Paint::None,
            // An unparsable paint is ignored, as a browser does.
            Err(_) => inherited.clone(),
        }
    }

    /// Every colour a gradient or pattern can show.
    fn server_colours(&self, server: Node<'a, 'a>, depth: usize) -> Vec<Rgb> {
        let mut colours = Vec::new();
        for part in server.descendants().filter(Node::is_element) {
            if part.has_tag_name("stop") {
                if let Some(colour) = self
                    .declared(part, "stop-color")
                    .and_then(|v| svgtypes::Color::from_str(v.trim()).ok())
                {
                    colours.push(Rgb::from_svg(colour).0);
                }
            } else if part != server {
                for property in ["fill", "stroke"] {
                    if let Some(value) = self.declared(part, property)
                        && let Ok(SvgPaint::Color(colour)) = SvgPaint::from_str(value)
                    {
                        colours.push(Rgb::from_svg(colour).0);
                    }
                }
            }
        }
        // A gradient may take its stops from another (`href`).
        if colours.is_empty() && depth < 4 {
            let href = server
                .attribute("href")
                .or_else(|| server.attribute(("http://www.w3.org/1999/xlink", "href")));
            if let Some(other) = href
                .and_then(|h| h.strip_prefix('#'))
                .and_then(|id| self.ids.get(id))
            {
                return self.server_colours(*other, depth + 1);
            }
        }
        colours
    }
}

fn font_size(value: &str, parent: f64) -> f64 {
    match Length::from_str(value) {
        Ok(Length { number, unit }) => match unit {
            LengthUnit::None | LengthUnit::Px => number,
            LengthUnit::Em => number * parent,
            LengthUnit::Ex => number * parent / 2.0,
            LengthUnit::Percent => number * parent / 100.0,
            LengthUnit::Pt => number * 4.0 / 3.0,
            LengthUnit::Pc => number * 16.0,
            LengthUnit::In => number * 96.0,
            LengthUnit::Cm => number * 96.0 / 2.54,
            LengthUnit::Mm => number * 96.0 / 25.4,
        },
        Err(_) => match value {
            "small" => 13.0,
            "large" => 18.0,
            _ => parent,
        },
    }
}

fn multiply(a: &Transform, b: &Transform) -> Transform {
    Transform::new(
        a.a * b.a + a.c * b.b,
        a.b * b.a + a.d * b.b,
        a.a * b.c + a.c * b.d,
        a.b * b.c + a.d * b.d,
        a.a * b.e + a.c * b.f + a.e,
        a.b * b.e + a.d * b.f + a.f,
    )
}

/// A roxmltree element, for simplecss's selector matching.
struct XmlElement<'a>(Node<'a, 'a>);

impl simplecss::Element for XmlElement<'_> {
    fn parent_element(&self) -> Option<Self> {
        self.0.parent_element().map(XmlElement)
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        self.0.prev_sibling_element().map(XmlElement)
    }

    fn has_local_name(&self, name: &str) -> bool {
        self.0.tag_name().name() == name
    }

    fn attribute_matches(&self, local_name: &str, operator: AttributeOperator<'_>) -> bool {
        self.0
            .attribute(local_name)
            .is_some_and(|value| operator.matches(value))
    }

    fn pseudo_class_matches(&self, class: PseudoClass<'_>) -> bool {
        match class {
            PseudoClass::FirstChild => self.prev_sibling_element().is_none(),
            _ => false,
        }
    }
}
