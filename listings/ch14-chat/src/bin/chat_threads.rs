//! Version 1 of the chat server: a thread per client, the room behind a
//! `Mutex`. Usage: chat_threads [ADDR]

use std::collections::HashMap;
use std::env;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use ch14_chat::{BATCH, DEFAULT_ADDR, Frame, Framer, QUEUE, Request, parse, reply, valid_name};

/// A line on its way to clients: one allocation, shared by every queue.
type Line = Arc<str>;

// ANCHOR: room
/// A joined client, as the room sees it.
struct Member {
    /// Its outgoing queue, bounded: [`QUEUE`] lines.
    queue: SyncSender<Line>,
    /// The connection, to cut it when the client falls behind.
    stream: TcpStream,
}

/// Who is in the room. Every method takes the lock once, so each event
/// reaches every member in the same order.
#[derive(Default)]
struct Room {
    members: Mutex<HashMap<String, Member>>,
}

impl Room {
    /// Adds `name` and tells the others, or returns `false` if it is taken.
    fn join(&self, name: &str, member: Member) -> bool {
        let mut members = self.members.lock().unwrap();
        if members.contains_key(name) {
            return false;
        }
        members.insert(name.to_owned(), member);
        deliver(&mut members, Some(name), reply::joined(name).into());
        true
    }

    /// Removes `name`, after queueing `farewell` for it, and tells the
    /// others. Does nothing if `name` already left (or was cut off).
    fn leave(&self, name: &str, farewell: Option<&str>) {
        let mut members = self.members.lock().unwrap();
        let Some(member) = members.remove(name) else {
            return;
        };
        if let Some(line) = farewell {
            let _ = member.queue.try_send(line.into());
        }
        deliver(&mut members, None, reply::left(name).into());
    }

    /// Sends `line` to everyone but `from`.
    fn broadcast(&self, from: Option<&str>, line: String) {
        deliver(&mut self.members.lock().unwrap(), from, line.into());
    }

    /// Sends `line` to `name` alone.
    fn tell(&self, name: &str, line: &str) {
        let mut members = self.members.lock().unwrap();
        if let Some(member) = members.get(name)
            && member.queue.try_send(line.into()).is_err()
        {
            cut_off(&mut members, name);
        }
    }

    fn who(&self) -> String {
        reply::online(self.members.lock().unwrap().keys().map(String::as_str))
    }
}

/// Queues `line` for every member but `from`, without ever waiting: a
/// member whose queue is full is cut off, and the others are told it left.
fn deliver(members: &mut HashMap<String, Member>, from: Option<&str>, line: Line) {
    let mut behind = Vec::new();
    for (name, member) in members.iter() {
        if Some(name.as_str()) != from && member.queue.try_send(Arc::clone(&line)).is_err() {
            // Full: it stopped reading. Disconnected: its writer is gone.
            behind.push(name.clone());
        }
    }
    for name in behind {
        cut_off(members, &name);
    }
}

fn cut_off(members: &mut HashMap<String, Member>, name: &str) {
    if let Some(member) = members.remove(name) {
        // Wakes its reader (read returns 0) and its writer (EPIPE).
        let _ = member.stream.shutdown(Shutdown::Both);
        deliver(members, None, reply::left(name).into());
    }
}
// ANCHOR_END: room

// ANCHOR: main
fn main() -> io::Result<()> {
    let addr = env::args().nth(1).unwrap_or_else(|| DEFAULT_ADDR.into());
    let listener = TcpListener::bind(&addr)?;
    println!("listening on {}", listener.local_addr()?);
    let room = Arc::new(Room::default());
    let admin_room = Arc::clone(&room);
    thread::spawn(move || admin(&admin_room));
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let room = Arc::clone(&room);
                thread::spawn(move || {
                    if let Err(err) = serve(&room, stream) {
                        eprintln!("chat_threads: client: {err}");
                    }
                });
            }
            Err(err) => {
                // EMFILE and the like: say so, and give clients time to go.
                eprintln!("chat_threads: accept: {err}");
                thread::sleep(Duration::from_millis(100));
            }
        }
    }
    Ok(())
}

/// Sends each line of standard input to every client. When standard input
/// ends (or was never open), the server goes on without an administrator.
fn admin(room: &Room) {
    let mut framer = Framer::new();
    let mut stdin = io::stdin().lock();
    while let Ok(Some(frame)) = next_frame(&mut stdin, &mut framer) {
        match frame {
            Frame::Line(text) => room.broadcast(None, reply::admin(&text)),
            Frame::TooLong => eprintln!("chat_threads: admin line too long, dropped"),
            Frame::BadUtf8 => eprintln!("chat_threads: admin line not UTF-8, dropped"),
        }
    }
}

/// Reads until `framer` has a line; `None` at end of stream (an unfinished
/// last line is dropped).
fn next_frame(input: &mut impl Read, framer: &mut Framer) -> io::Result<Option<Frame>> {
    let mut buf = [0; 4096];
    loop {
        if let Some(frame) = framer.next_frame() {
            return Ok(Some(frame));
        }
        match input.read(&mut buf) {
            Ok(0) => return Ok(None),
            Ok(n) => framer.push(&buf[..n]),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
}
// ANCHOR_END: main

// ANCHOR: serve
/// One client's reader thread, from its first line to its last.
fn serve(room: &Room, mut stream: TcpStream) -> io::Result<()> {
    // Each line is a message of its own: send it now (no Nagle delay).
    stream.set_nodelay(true)?;
    let mut framer = Framer::new();
    // Until it has a name the client is not in the room: nobody else
    // writes to it, so its replies go straight to the socket.
    let name = loop {
        let Some(frame) = next_frame(&mut stream, &mut framer)? else {
            return Ok(());
        };
        let name = match frame {
            Frame::Line(name) if valid_name(&name) => name,
            Frame::Line(_) => {
                stream.write_all(reply::BAD_NAME.as_bytes())?;
                continue;
            }
            Frame::TooLong => {
                stream.write_all(reply::TOO_LONG.as_bytes())?;
                continue;
            }
            Frame::BadUtf8 => {
                stream.write_all(reply::BAD_UTF8.as_bytes())?;
                continue;
            }
        };
        let (queue, lines) = sync_channel(QUEUE);
        queue.try_send(reply::welcome(&name).into()).unwrap();
        let member = Member {
            queue,
            stream: stream.try_clone()?,
        };
        if room.join(&name, member) {
            let writer = stream.try_clone()?;
            thread::spawn(move || write_lines(writer, lines));
            break name;
        }
        stream.write_all(reply::NAME_TAKEN.as_bytes())?;
    };
    // From here on everything for this client goes through its queue,
    // so its replies and the room's lines never interleave mid-line.
    // End of stream, a reset, or the room cutting the client off ends
    // the loop.
    while let Ok(Some(frame)) = next_frame(&mut stream, &mut framer) {
        match frame {
            Frame::Line(line) => match parse(&line) {
                Request::Say(text) => room.broadcast(Some(&name), reply::said(&name, text)),
                Request::Who => room.tell(&name, &room.who()),
                Request::Quit => {
                    room.leave(&name, Some(reply::BYE));
                    return Ok(());
                }
            },
            Frame::TooLong => room.tell(&name, reply::TOO_LONG),
            Frame::BadUtf8 => room.tell(&name, reply::BAD_UTF8),
        }
    }
    room.leave(&name, None);
    Ok(())
}

/// One client's writer thread: drains its queue into the socket, and
/// closes the connection when the room lets go of the queue.
fn write_lines(mut stream: TcpStream, lines: Receiver<Line>) {
    let mut batch = Vec::new();
    // Wait for a line, then take the lines already queued behind it, up to
    // BATCH bytes, and send them all with one write.
    while let Ok(line) = lines.recv() {
        batch.extend_from_slice(line.as_bytes());
        while batch.len() < BATCH {
            let Ok(line) = lines.try_recv() else { break };
            batch.extend_from_slice(line.as_bytes());
        }
        if stream.write_all(&batch).is_err() {
            break;
        }
        batch.clear();
    }
    let _ = stream.shutdown(Shutdown::Both);
}
// ANCHOR_END: serve
