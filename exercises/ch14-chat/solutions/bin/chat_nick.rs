//! Exercise 14.3: new names.
//!
//! `chat_nick [ADDR]` is `chat_server` (Listings 14-11 to 14-13) with one
//! more command: `/nick NEW` changes the client's name to NEW, and
//! everyone, the client included, receives `* OLD is now NEW`. NEW must
//! be a valid name (`* error: bad name`) that is not in use, your own
//! included (`* error: name taken`). After the change, the client's messages and
//! `/who` use the new name, and the old name is free again.

use std::collections::HashMap;
use std::env;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};

use ch14_chat::{BATCH, DEFAULT_ADDR, Frame, Framer, QUEUE, Request, parse, reply, valid_name};

type Line = Arc<str>;

/// A joined client, as the room sees it. Dropping it (removing it from the
/// room) closes both channels: the queue, and `cut`, which tells the
/// client's task to end at once, even in the middle of a write.
struct Member {
    queue: mpsc::Sender<Line>,
    _cut: oneshot::Sender<()>,
}

#[derive(Default)]
struct Room {
    members: Mutex<HashMap<String, Member>>,
}

impl Room {
    fn join(&self, name: &str, member: Member) -> bool {
        let mut members = self.members.lock().unwrap();
        if members.contains_key(name) {
            return false;
        }
        members.insert(name.to_owned(), member);
        deliver(&mut members, Some(name), reply::joined(name).into());
        true
    }

    fn leave(&self, name: &str) {
        let mut members = self.members.lock().unwrap();
        if members.remove(name).is_some() {
            deliver(&mut members, None, reply::left(name).into());
        }
    }

    fn broadcast(&self, from: Option<&str>, line: String) {
        deliver(&mut self.members.lock().unwrap(), from, line.into());
    }

    fn tell(&self, name: &str, line: &str) {
        let mut members = self.members.lock().unwrap();
        if let Some(member) = members.get(name)
            && member.queue.try_send(line.into()).is_err()
        {
            cut_off(&mut members, name);
        }
    }

    // ANCHOR: rename
    /// Moves the member `old` to the name `new` and tells everyone,
    /// `old` included: `* old is now new`. Refuses a bad name with
    /// `Err(reply::BAD_NAME)` and one in use with `Err(reply::NAME_TAKEN)`.
    fn rename(&self, old: &str, new: &str) -> Result<(), &'static str> {
        if !valid_name(new) {
            return Err(reply::BAD_NAME);
        }
        let mut members = self.members.lock().unwrap();
        if members.contains_key(new) {
            return Err(reply::NAME_TAKEN);
        }
        // Under one lock: nobody sees the room with both names, or none.
        let Some(member) = members.remove(old) else {
            return Ok(());
        };
        members.insert(new.to_owned(), member);
        deliver(&mut members, None, format!("* {old} is now {new}\n").into());
        Ok(())
    }
    // ANCHOR_END: rename

    fn who(&self) -> String {
        reply::online(self.members.lock().unwrap().keys().map(String::as_str))
    }
}

/// The same rule as version 1: never wait for a client; cut off one whose
/// queue is full.
fn deliver(members: &mut HashMap<String, Member>, from: Option<&str>, line: Line) {
    let mut behind = Vec::new();
    for (name, member) in members.iter() {
        if Some(name.as_str()) != from && member.queue.try_send(Arc::clone(&line)).is_err() {
            behind.push(name.clone());
        }
    }
    for name in behind {
        cut_off(members, &name);
    }
}

fn cut_off(members: &mut HashMap<String, Member>, name: &str) {
    if members.remove(name).is_some() {
        deliver(members, None, reply::left(name).into());
    }
}

#[tokio::main]
async fn main() -> io::Result<()> {
    let addr = env::args().nth(1).unwrap_or_else(|| DEFAULT_ADDR.into());
    let listener = TcpListener::bind(&addr).await?;
    println!("listening on {}", listener.local_addr()?);
    let room = Arc::new(Room::default());
    tokio::spawn(admin(Arc::clone(&room)));
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let room = Arc::clone(&room);
                tokio::spawn(async move {
                    if let Err(err) = serve(&room, stream).await {
                        eprintln!("chat_nick: client: {err}");
                    }
                });
            }
            Err(err) => {
                eprintln!("chat_nick: accept: {err}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn admin(room: Arc<Room>) {
    let mut framer = Framer::new();
    let mut stdin = tokio::io::stdin();
    while let Ok(Some(frame)) = next_frame(&mut stdin, &mut framer).await {
        match frame {
            Frame::Line(text) => room.broadcast(None, reply::admin(&text)),
            Frame::TooLong => eprintln!("chat_nick: admin line too long, dropped"),
            Frame::BadUtf8 => eprintln!("chat_nick: admin line not UTF-8, dropped"),
        }
    }
}

async fn next_frame(
    input: &mut (impl AsyncRead + Unpin),
    framer: &mut Framer,
) -> io::Result<Option<Frame>> {
    let mut buf = [0; 4096];
    loop {
        if let Some(frame) = framer.next_frame() {
            return Ok(Some(frame));
        }
        match input.read(&mut buf).await? {
            0 => return Ok(None),
            n => framer.push(&buf[..n]),
        }
    }
}

async fn serve(room: &Room, stream: TcpStream) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let (mut reader, mut writer) = stream.into_split();
    let mut framer = Framer::new();
    let (mut name, mut lines, mut cut) = loop {
        let Some(frame) = next_frame(&mut reader, &mut framer).await? else {
            return Ok(());
        };
        let name = match frame {
            Frame::Line(name) if valid_name(&name) => name,
            Frame::Line(_) => {
                writer.write_all(reply::BAD_NAME.as_bytes()).await?;
                continue;
            }
            Frame::TooLong => {
                writer.write_all(reply::TOO_LONG.as_bytes()).await?;
                continue;
            }
            Frame::BadUtf8 => {
                writer.write_all(reply::BAD_UTF8.as_bytes()).await?;
                continue;
            }
        };
        let (queue, lines) = mpsc::channel(QUEUE);
        queue.try_send(reply::welcome(&name).into()).unwrap();
        let (cut_sender, cut) = oneshot::channel();
        let member = Member {
            queue,
            _cut: cut_sender,
        };
        if room.join(&name, member) {
            break (name, lines, cut);
        }
        writer.write_all(reply::NAME_TAKEN.as_bytes()).await?;
    };
    // One task, three events: a read from the client, a line queued for
    // it, or the room cutting it off. `select!` waits for the first.
    let mut buf = [0; 4096];
    let mut batch = Vec::new();
    let farewell = 'session: loop {
        // The lines read so far (the read that brought the name may have
        // brought more).
        while let Some(frame) = framer.next_frame() {
            match frame {
                Frame::Line(line) if line.starts_with("/nick ") => {
                    let new = &line["/nick ".len()..];
                    match room.rename(&name, new) {
                        Ok(()) => name = new.to_owned(),
                        Err(error) => room.tell(&name, error),
                    }
                }
                Frame::Line(line) => match parse(&line) {
                    Request::Say(text) => room.broadcast(Some(&name), reply::said(&name, text)),
                    Request::Who => room.tell(&name, &room.who()),
                    Request::Quit => break 'session Some(reply::BYE),
                },
                Frame::TooLong => room.tell(&name, reply::TOO_LONG),
                Frame::BadUtf8 => room.tell(&name, reply::BAD_UTF8),
            }
        }
        tokio::select! {
            read = reader.read(&mut buf) => match read {
                Ok(0) | Err(_) => break 'session None,
                Ok(n) => framer.push(&buf[..n]),
            },
            Some(line) = lines.recv() => {
                // The lines queued behind this one go in the same write.
                batch.clear();
                batch.extend_from_slice(line.as_bytes());
                while batch.len() < BATCH {
                    let Ok(line) = lines.try_recv() else { break };
                    batch.extend_from_slice(line.as_bytes());
                }
                // A client that stops reading blocks this write; the room
                // then fills its queue and cuts it off, which ends the wait.
                tokio::select! {
                    written = writer.write_all(&batch) => {
                        if written.is_err() {
                            break 'session None;
                        }
                    }
                    _ = &mut cut => return Ok(()),
                }
            }
            _ = &mut cut => return Ok(()),
        }
    };
    // Leaving drops the queue's sender, so this writes what was queued and
    // ends, as version 1's writer thread does; then `* bye` after /quit.
    room.leave(&name);
    while let Some(line) = lines.recv().await {
        if writer.write_all(line.as_bytes()).await.is_err() {
            return Ok(());
        }
    }
    if let Some(line) = farewell {
        let _ = writer.write_all(line.as_bytes()).await;
    }
    Ok(())
}
