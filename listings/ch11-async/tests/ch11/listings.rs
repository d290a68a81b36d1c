//! Each listing's output, as the chapter shows it.

use std::process::Command;

use harness::{Normalizer, check_output, run};

fn stdout_of(bin: &str) -> String {
    let out = run(&mut Command::new(bin));
    out.assert_success();
    out.stdout_text()
}

#[test]
fn tasks_take_turns_only_where_they_yield() {
    let text = stdout_of(env!("CARGO_BIN_EXE_take_turns"));
    check_output!("../../output/take_turns.txt", &text);
}

#[test]
fn a_hand_written_future_and_an_async_fn_poll_alike() {
    let text = stdout_of(env!("CARGO_BIN_EXE_countdown"));
    check_output!("../../output/countdown.txt", &text);
}

#[test]
fn tokio_tasks_spawn_join_and_report_panics() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_tokio_tasks")));
    out.assert_success();
    assert!(
        out.stderr_text().contains("task failed"),
        "the panic is reported"
    );
    check_output!("../../output/tokio_tasks.txt", &out.stdout_text());
}

#[test]
fn timeout_and_select_drop_the_losing_future() {
    let text = stdout_of(env!("CARGO_BIN_EXE_cancel"));
    check_output!("../../output/cancel.txt", &text);
}

#[test]
fn channels_semaphore_and_mutex_on_one_thread() {
    let text = stdout_of(env!("CARGO_BIN_EXE_tokio_sync"));
    check_output!("../../output/tokio_sync.txt", &text);
}

#[test]
fn blocking_in_a_task_stalls_the_others_and_spawn_blocking_does_not() {
    // The blocked thread's gap is at least the 300 ms sleep, always. The
    // unblocked ticker's is short on a quiet machine, but a loaded one can
    // keep the whole process off the CPU for longer than that (433 ms was
    // seen with nine runnable threads on two cores): a run whose second
    // gap is not the shorter is repeated, and all three must fail.
    let mut runs = Vec::new();
    let (text, stalled, fixed) = loop {
        let text = stdout_of(env!("CARGO_BIN_EXE_block_in_task"));
        let gaps: Vec<u64> = text
            .lines()
            .map(|line| {
                let ms =
                    line.rsplit("gap ").next().unwrap().trim_end_matches(" ms");
                ms.parse().unwrap_or_else(|_| panic!("no gap in {line:?}"))
            })
            .collect();
        let [stalled, fixed] = gaps[..] else {
            panic!("two lines expected: {text}")
        };
        assert!(
            stalled >= 300,
            "the ticker ran during a blocking sleep: {text}"
        );
        runs.push(text.clone());
        if fixed < stalled || runs.len() == 3 {
            break (text, stalled, fixed);
        }
    };
    assert!(
        fixed < stalled,
        "spawn_blocking still stalled the ticker, in three runs:\n{}",
        runs.join("\n")
    );
    // The page shows one run's figures.
    let shown = Normalizer::new()
        .replace(
            r"task: the ticker's longest gap \d+ ms",
            "task: the ticker's longest gap 301 ms",
        )
        .replace(
            r"\):         the ticker's longest gap \d+ ms",
            "):         the ticker's longest gap 13 ms",
        )
        .apply(&text);
    check_output!("../../output/block_in_task.txt", &shown);
}
