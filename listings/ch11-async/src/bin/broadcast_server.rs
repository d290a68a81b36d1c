//! `broadcast_server [addr]`: every line a client sends goes to every connected
//! client, through a `tokio::sync::broadcast` channel. Lines are at most
//! 1,024 bytes; a client too slow to keep up is told how many lines it
//! missed. SIGTERM or Ctrl-C stops it gracefully: no new clients, a
//! goodbye to each connected one, then exit status 0.

use std::env;
use std::io;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;
use tokio::task::JoinSet;

const PROGRAM: &str = "broadcast_server";
/// The longest line accepted, newline included.
const MAX_LINE: usize = 1024;
/// Lines kept for receivers that are behind; a receiver further behind
/// misses the oldest and is told so.
const BACKLOG: usize = 64;

#[tokio::main]
async fn main() -> ExitCode {
    let addr = env::args().nth(1);
    let addr = addr.as_deref().unwrap_or("127.0.0.1:7878");
    match serve(addr).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{PROGRAM}: {addr}: {err}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: serve
async fn serve(addr: &str) -> io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    // Listen for the signals before announcing, and once: a `Signal` keeps
    // what arrives between two turns of the loop. (A `ctrl_c()` future
    // made inside the loop would miss a SIGINT that came between two.)
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sigint = signal(SignalKind::interrupt())?; // Ctrl-C
    println!("listening on {}", listener.local_addr()?);
    let (lines, _) = broadcast::channel::<Arc<str>>(BACKLOG);
    let (stop, stopped) = watch::channel(false);
    let mut clients = JoinSet::new();
    let mut next_id = 1u64;
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let client = Client {
                        id: next_id,
                        lines: lines.clone(),
                        incoming: lines.subscribe(),
                        stopped: stopped.clone(),
                    };
                    next_id += 1;
                    clients.spawn(async move {
                        if let Err(err) = client.serve(stream).await {
                            eprintln!("{PROGRAM}: connection: {err}");
                        }
                    });
                }
                Err(err) => {
                    eprintln!("{PROGRAM}: accept: {err}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            // Reap finished clients, so the set does not grow.
            Some(_) = clients.join_next(), if !clients.is_empty() => {}
            _ = sigterm.recv() => break,
            _ = sigint.recv() => break,
        }
    }
    drop(listener); // refuse new clients from now on
    println!("shutting down; clients connected: {}", clients.len());
    let _ = stop.send(true);
    // A client that does not read cannot take its goodbye: give up on
    // those after 5 s (dropping the set aborts their tasks).
    let goodbyes = clients.join_all();
    let all_closed =
        tokio::time::timeout(Duration::from_secs(5), goodbyes).await;
    if all_closed.is_err() {
        eprintln!("{PROGRAM}: some clients did not take their goodbye");
    }
    println!("bye");
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: client
struct Client {
    id: u64,
    lines: broadcast::Sender<Arc<str>>,
    incoming: broadcast::Receiver<Arc<str>>,
    stopped: watch::Receiver<bool>,
}

impl Client {
    async fn serve(mut self, stream: TcpStream) -> io::Result<()> {
        let (reader, mut writer) = stream.into_split();
        let mut reader = BufReader::new(reader);
        let mut line = Vec::new();
        let _ = self
            .lines
            .send(format!("client {} joined\n", self.id).into());
        loop {
            tokio::select! {
                // read_until is cancel safe: what it read stays in `line`.
                read = read_line(&mut reader, &mut line) => {
                    if read? == 0 && line.is_empty() {
                        break; // the client left
                    }
                    if line.last() != Some(&b'\n') {
                        if line.len() < MAX_LINE {
                            break; // left in the middle of a line
                        }
                        let refusal = b"error: line longer than 1024 bytes\n";
                        writer.write_all(refusal).await?;
                        return Ok(());
                    }
                    let text = String::from_utf8_lossy(&line);
                    let said = format!("client {}: {text}", self.id);
                    let _ = self.lines.send(said.into());
                    line.clear();
                }
                received = self.incoming.recv() => match received {
                    Ok(text) => writer.write_all(text.as_bytes()).await?,
                    Err(RecvError::Lagged(missed)) => {
                        let notice = format!("({missed} lines missed)\n");
                        writer.write_all(notice.as_bytes()).await?;
                    }
                    Err(RecvError::Closed) => break,
                },
                _ = self.stopped.changed() => {
                    writer.write_all(b"server shutting down\n").await?;
                    return Ok(());
                }
            }
        }
        let _ = self.lines.send(format!("client {} left\n", self.id).into());
        Ok(())
    }
}

/// Reads up to the end of a line into `line`, which stops growing at
/// [`MAX_LINE`] bytes. Cancel safe: bytes read stay in `line`.
async fn read_line(
    reader: &mut BufReader<OwnedReadHalf>,
    line: &mut Vec<u8>,
) -> io::Result<usize> {
    let room = (MAX_LINE - line.len()) as u64;
    reader.take(room).read_until(b'\n', line).await
}
// ANCHOR_END: client
