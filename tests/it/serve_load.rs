//! `communique serve` under load: descriptor exhaustion, slow clients, oversized request
//! heads and hundreds of live-reload streams. After each, the preview must still be running,
//! must have printed no panic, and must answer a normal request again.
//!
//! Every test spawns the real binary on a loopback port, opens a bounded number of
//! connections, and waits only with generous deadlines: the machines that run these are
//! shared and slow.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

use communique::serve::server::{HEADER_READ_TIMEOUT, Limits, SEND_TIMEOUT};

use crate::serve::Serving;
use crate::support::Site;

/// How long anything in these tests may take before it counts as never.
const DEADLINE: Duration = Duration::from_secs(60);

/// What `serve` prints when accepting fails for want of descriptors.
const OUT_OF_DESCRIPTORS: &str = "cannot take new connections for now";

/// This process's (soft, hard) descriptor limits.
fn descriptor_limits() -> (libc::rlim_t, libc::rlim_t) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    assert_eq!(
        unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) },
        0
    );
    (limit.rlim_cur, limit.rlim_max)
}

/// Lets this test process hold the hundreds of connections it opens.
fn raise_own_descriptor_limit() {
    let (soft, hard) = descriptor_limits();
    let wanted = hard.min(8192);
    if soft < wanted {
        let limit = libc::rlimit {
            rlim_cur: wanted,
            rlim_max: hard,
        };
        // SAFETY: setrlimit only reads the struct it is given.
        unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    }
}

/// `serve` on `site`, started with its soft descriptor limit at `soft` (or the hard limit,
/// if that is lower). Returns the server and the soft limit it got.
fn serve_with_descriptor_limit(site: &Site, soft: libc::rlim_t) -> (Serving, usize) {
    let soft = soft.min(descriptor_limits().1);
    let serving = Serving::start_with(site, |command| {
        // SAFETY: the closure runs in the child between fork and exec, and only calls
        // setrlimit, which is async-signal-safe.
        unsafe {
            command.pre_exec(move || {
                let mut limit = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                    return Err(io::Error::last_os_error());
                }
                limit.rlim_cur = soft;
                if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
    });
    (serving, usize::try_from(soft).unwrap())
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
}

/// One `GET path` on a fresh connection: the status and body, or `None` if the connection
/// failed or no answer came within a few seconds.
fn try_get(port: u16, path: &str) -> Option<(u16, String)> {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

/// Asks for the home page until it is answered with 200, failing after [`DEADLINE`].
fn home_page_answers(serving: &Serving) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some((200, body)) = try_get(serving.port, "/") {
            assert!(body.contains("</html>"), "{body}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the preview did not answer GET / again; stderr:\n{}",
            serving.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The server is still running and has printed no panic.
fn still_up(serving: &mut Serving) {
    assert!(
        serving.is_running(),
        "the preview exited; stderr:\n{}",
        serving.stderr()
    );
    let stderr = serving.stderr();
    assert!(!stderr.contains("panicked"), "a thread panicked:\n{stderr}");
}

/// How many descriptors process `pid` has open (Linux's /proc).
#[cfg(target_os = "linux")]
fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// Waits up to [`DEADLINE`] for `done`.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !done() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// 400 idle connections against a preview allowed 256 descriptors: it takes at most its
/// cap (half the limit) at once, leaves the rest in the kernel's backlog, never runs out of
/// descriptors, closes what it took when the clients go, and answers again.
#[test]
fn idle_connections_beyond_the_descriptor_limit() {
    raise_own_descriptor_limit();
    let site = Site::fixture("minimal");
    let (mut serving, soft) = serve_with_descriptor_limit(&site, 256);
    let cap = Limits::for_descriptors(soft).connections;
    assert!(cap < 400, "the limit must be below the connections opened");
    home_page_answers(&serving);
    #[cfg(target_os = "linux")]
    let before = open_descriptors(serving.pid());

    let idle: Vec<TcpStream> = (0..400).map(|_| connect(serving.port)).collect();
    #[cfg(target_os = "linux")]
    {
        // It takes connections up to its cap, and no more.
        // `before` may count a descriptor or two that close meanwhile (the connection that
        // asked for the home page, a watcher's): allow for them rather than wait forever.
        eventually("the preview accepts up to its connection cap", || {
            open_descriptors(serving.pid()) + 4 >= before + cap
        });
        std::thread::sleep(Duration::from_millis(500));
        let held = open_descriptors(serving.pid());
        assert!(
            held <= before + cap + 2,
            "{held} descriptors open with a cap of {cap} connections"
        );
    }
    still_up(&mut serving);
    assert!(
        !serving.stderr().contains(OUT_OF_DESCRIPTORS),
        "the connection cap should have kept the preview under its descriptor limit:\n{}",
        serving.stderr()
    );

    drop(idle);
    home_page_answers(&serving);
    #[cfg(target_os = "linux")]
    eventually("the preview closes the connections it held", || {
        open_descriptors(serving.pid()) <= before + 1
    });
    still_up(&mut serving);
}

/// The descriptor limit lowered under the running preview, so that `accept` fails with
/// EMFILE: it warns (once, not once per attempt), keeps trying, and answers again as soon
/// as connections close. tiny_http's accept thread panicked here and never listened again.
#[cfg(target_os = "linux")]
#[test]
fn running_out_of_descriptors_pauses_accepting_and_never_stops_it() {
    raise_own_descriptor_limit();
    let site = Site::fixture("minimal");
    let (mut serving, _) = serve_with_descriptor_limit(&site, 256);
    home_page_answers(&serving);
    let pid = serving.pid();
    // Room for a few connections only, far below the connection cap it started with.
    let room = libc::rlim_t::try_from(open_descriptors(pid) + 6).unwrap();
    let limit = libc::rlimit {
        rlim_cur: room,
        rlim_max: descriptor_limits().1,
    };
    let pid_t = libc::pid_t::try_from(pid).unwrap();
    // SAFETY: prlimit reads the new limit and writes nothing (no old limit asked for).
    let set = unsafe { libc::prlimit(pid_t, libc::RLIMIT_NOFILE, &limit, std::ptr::null_mut()) };
    assert_eq!(set, 0, "prlimit: {}", io::Error::last_os_error());

    let idle: Vec<TcpStream> = (0..60).map(|_| connect(serving.port)).collect();
    eventually("the preview warns that it is out of descriptors", || {
        serving.stderr().contains(OUT_OF_DESCRIPTORS)
    });
    // Some seconds of refused accepts, every 100 ms.
    std::thread::sleep(Duration::from_secs(2));
    still_up(&mut serving);

    drop(idle);
    home_page_answers(&serving);
    still_up(&mut serving);
    let stderr = serving.stderr();
    let warnings = stderr.matches(OUT_OF_DESCRIPTORS).count();
    assert!(
        (1..=3).contains(&warnings),
        "{warnings} warnings: one per 30 s at most, not one per refused accept:\n{stderr}"
    );
}

/// A slowloris client: half a request head, then a byte now and then, never finishing. It
/// does not hold up anyone else, and is disconnected once its head has taken
/// [`HEADER_READ_TIMEOUT`], however steadily it trickles.
#[test]
fn a_slow_client_is_dropped_and_blocks_no_one() {
    let site = Site::fixture("minimal");
    let mut serving = Serving::start(&site);
    let connected = Instant::now();
    let mut slow = connect(serving.port);
    write!(
        slow,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Slow: ",
        serving.port
    )
    .unwrap();
    slow.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();

    // Others are answered meanwhile.
    for _ in 0..3 {
        home_page_answers(&serving);
    }

    let started = Instant::now();
    let closed = loop {
        assert!(
            started.elapsed() < DEADLINE,
            "a client still sending its head after {DEADLINE:?} was not disconnected"
        );
        if slow.write_all(b"a").is_err() {
            break true;
        }
        let mut byte = [0; 1];
        match slow.read(&mut byte) {
            Ok(0) => break true,
            Ok(_) => break false,
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break true,
        }
    };
    assert!(closed, "the slow client got an answer to half a request");
    assert!(
        connected.elapsed() >= HEADER_READ_TIMEOUT / 2,
        "disconnected before its time ran out"
    );
    home_page_answers(&serving);
    still_up(&mut serving);
}

/// A client that asks for pages and never reads the answers: once it has taken nothing
/// for [`SEND_TIMEOUT`], it is disconnected, so it cannot hold a connection and the answers
/// waiting for it forever. Others are answered meanwhile.
#[test]
fn a_client_that_reads_nothing_is_disconnected() {
    let site = Site::fixture("minimal");
    let mut serving = Serving::start(&site);
    let asked = 2000;
    let stream = connect(serving.port);
    let mut writer = stream.try_clone().unwrap();
    // No write timeout: only the server may cut this client off.
    writer.set_write_timeout(None).unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", serving.port);
    // Megabytes of answers, far more than the sockets' buffers hold. The server stops
    // reading requests once it cannot send, so this write stalls until it disconnects.
    let sending = std::thread::spawn(move || {
        let _ = writer.write_all(request.repeat(asked).as_bytes());
    });
    home_page_answers(&serving);
    std::thread::sleep(SEND_TIMEOUT + Duration::from_secs(20));
    let mut answers = Vec::new();
    let mut reader = stream;
    let ended = match reader.read_to_end(&mut answers) {
        Ok(_) => "closed",
        Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            "still open"
        }
        Err(_) => "reset",
    };
    let answered = String::from_utf8_lossy(&answers)
        .matches("HTTP/1.1 200 OK")
        .count();
    assert!(
        ended != "still open" && answered < asked,
        "connection {ended} after {answered} of {asked} answers: it was never cut off"
    );
    let _ = sending.join();
    home_page_answers(&serving);
    still_up(&mut serving);
}

/// Sends `request` from another thread (the server may close the connection before it is
/// all sent) and returns the status of the answer, if one came.
fn send_oversized(port: u16, request: Vec<u8>) -> Option<u16> {
    let stream = connect(port);
    let mut writer = stream.try_clone().unwrap();
    let sending = std::thread::spawn(move || {
        let _ = writer.write_all(&request);
    });
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let status = match reader.read_line(&mut line) {
        Ok(_) => line.split_whitespace().nth(1).and_then(|s| s.parse().ok()),
        // Closed with the request still arriving: the kernel resets the connection.
        Err(error) => {
            assert_ne!(
                error.kind(),
                ErrorKind::WouldBlock,
                "no answer and no close within 30 s"
            );
            None
        }
    };
    drop(reader);
    let _ = sending.join();
    status
}

/// A 100 KB request line and 1 MB of headers are refused (431, or a closed connection)
/// without being buffered whole, and the next request is answered.
#[test]
fn oversized_request_heads_are_refused() {
    let site = Site::fixture("minimal");
    let mut serving = Serving::start(&site);
    let port = serving.port;
    let host = format!("Host: 127.0.0.1:{port}\r\n");

    let long_line = format!(
        "GET /{} HTTP/1.1\r\n{host}Connection: close\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let mut many_headers = format!("GET / HTTP/1.1\r\n{host}");
    for i in 0..1024 {
        many_headers.push_str(&format!("X-Pad-{i}: {}\r\n", "b".repeat(1000)));
    }
    many_headers.push_str("Connection: close\r\n\r\n");
    let one_big_header = format!(
        "GET / HTTP/1.1\r\n{host}Cookie: {}\r\nConnection: close\r\n\r\n",
        "c".repeat(1024 * 1024)
    );
    for (name, request) in [
        ("100 KB request line", long_line),
        ("1 MB in 1,024 headers", many_headers),
        ("1 MB in one header", one_big_header),
    ] {
        let status = send_oversized(port, request.into_bytes());
        assert!(
            matches!(status, None | Some(400 | 414 | 431)),
            "the {name} got {status:?}"
        );
        home_page_answers(&serving);
    }
    still_up(&mut serving);
}

/// Opens a live-reload stream for the home page and returns its status and the stream.
fn open_stream(port: u16) -> (u16, String, BufReader<TcpStream>) {
    let mut stream = connect(port);
    write!(
        stream,
        "GET /__communique/events?page=%2F HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).unwrap();
        if n == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, reader)
}

/// 300 live-reload streams: those over the cap get 503 with `Retry-After`, the others all
/// hear the next rebuild, pages are still served, and closed streams free their slots.
#[test]
fn live_reload_streams_over_the_cap_get_503() {
    raise_own_descriptor_limit();
    let site = Site::fixture("minimal");
    let (mut serving, soft) = serve_with_descriptor_limit(&site, 1024);
    let limits = Limits::for_descriptors(soft);
    let opened = 300.min(limits.connections - 8);
    assert!(limits.event_streams < opened, "{limits:?}");
    home_page_answers(&serving);

    let mut open = Vec::new();
    let mut refused = Vec::new();
    for _ in 0..opened {
        let (status, head, reader) = open_stream(serving.port);
        match status {
            200 => {
                assert!(head.contains("Content-Type: text/event-stream"), "{head}");
                open.push(reader);
            }
            503 => {
                assert!(head.contains("Retry-After: "), "{head}");
                refused.push(reader);
            }
            other => panic!("a live-reload stream got {other}:\n{head}"),
        }
    }
    assert_eq!(open.len(), limits.event_streams);
    assert_eq!(refused.len(), opened - limits.event_streams);
    // Pages are still served while every stream slot is taken.
    home_page_answers(&serving);

    // Every open stream hears a rebuild that changes every page.
    site.edit("site.toml", "title = \"", "title = \"Edited ");
    for stream in &mut open {
        let event = loop {
            let mut line = String::new();
            let n = stream.read_line(&mut line).unwrap();
            assert!(n > 0, "a live-reload stream closed");
            if let Some(name) = line.strip_prefix("event: ") {
                break name.trim().to_string();
            }
        };
        assert_eq!(event, "reload");
    }

    // Closed streams free their slots: as many can be opened again.
    drop(open);
    drop(refused);
    eventually("closed streams free their slots", || {
        let again: Vec<_> = (0..limits.event_streams)
            .map(|_| open_stream(serving.port))
            .collect();
        again.iter().all(|(status, ..)| *status == 200)
    });
    home_page_answers(&serving);
    still_up(&mut serving);
}
