//! Tiny static HTTP server on 127.0.0.1 for tests and the benchmark: serves a
//! directory (with HTML listings), logs request paths and can inject failures.
//!
//! A request with a query (`cves.json?limit=100&offset=20`) is answered by the file
//! named with that query when there is one (an API's pages as files), else by the file
//! of its path (a static server ignores queries).

// Shared by the tests and examples/bench_update.rs, which each use a different subset.
#![allow(dead_code)]
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Injected behaviour for paths ending with a given suffix.
#[derive(Clone, Debug)]
pub enum Rule {
    Status(u16),
    /// Never answer (until the test process exits).
    Hang,
    /// Announce the full length but send only half the body.
    Truncate,
}

pub struct Server {
    pub addr: SocketAddr,
    /// (decoded path, decoded query or "") of each request.
    log: Arc<Mutex<Vec<(String, String)>>>,
    rules: Arc<Mutex<HashMap<String, Rule>>>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let rules = Arc::new(Mutex::new(HashMap::new()));
        let (root, l2, r2) = (root.to_path_buf(), log.clone(), rules.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, log, rules) = (root.clone(), l2.clone(), r2.clone());
                std::thread::spawn(move || serve(stream, &root, &log, &rules));
            }
        });
        Server { addr, log, rules }
    }

    /// `http://127.0.0.1:PORT/<path>` (path without leading slash).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    /// `rule` for requests whose path, or path and query (`cves.json?limit=100&offset=20`),
    /// ends with `suffix`.
    pub fn rule(&self, suffix: &str, rule: Rule) {
        self.rules
            .lock()
            .expect("rules lock")
            .insert(suffix.to_owned(), rule);
    }

    pub fn clear_rules(&self) {
        self.rules.lock().expect("rules lock").clear();
    }

    /// Decoded request paths received so far.
    pub fn requests(&self) -> Vec<String> {
        let log = self.log.lock().expect("log lock");
        log.iter().map(|(p, _)| p.clone()).collect()
    }

    /// Decoded queries ("" for none) of the requests received so far.
    pub fn queries(&self) -> Vec<String> {
        let log = self.log.lock().expect("log lock");
        log.iter().map(|(_, q)| q.clone()).collect()
    }

    pub fn clear_log(&self) {
        self.log.lock().expect("log lock").clear();
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if b[i] == b'%'
            && let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn serve(
    mut stream: TcpStream,
    root: &Path,
    log: &Mutex<Vec<(String, String)>>,
    rules: &Mutex<HashMap<String, Rule>>,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => return,
            Ok(_) if h == "\r\n" || h == "\n" => break,
            Ok(_) => {}
        }
    }
    let raw = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (path, query) = raw.split_once('?').unwrap_or((&raw, ""));
    let (path, query) = (decode(path), decode(query));
    let full = format!("{path}?{query}");
    log.lock()
        .expect("log lock")
        .push((path.clone(), query.clone()));
    let rule = rules
        .lock()
        .expect("rules lock")
        .iter()
        .find(|(k, _)| path.ends_with(k.as_str()) || full.ends_with(k.as_str()))
        .map(|(_, r)| r.clone());
    let respond = |stream: &mut TcpStream, status: u16, body: &[u8], announce: usize| {
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {announce}\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    };
    match rule {
        Some(Rule::Status(s)) => return respond(&mut stream, s, b"injected", 8),
        Some(Rule::Hang) => {
            std::thread::sleep(Duration::from_secs(3600));
            return;
        }
        _ => {}
    }
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|s| s == "..") {
        return respond(&mut stream, 403, b"", 0);
    }
    let named = root.join(format!("{rel}?{query}"));
    let fs_path = if !query.is_empty() && named.is_file() {
        named
    } else {
        root.join(rel)
    };
    if fs_path.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&fs_path)
            .map(|rd| {
                rd.flatten()
                    .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        let html: String = names
            .iter()
            .map(|n| format!("<a href=\"{n}\">{n}</a>\n"))
            .collect();
        return respond(&mut stream, 200, html.as_bytes(), html.len());
    }
    match std::fs::read(&fs_path) {
        Ok(body) if matches!(rule, Some(Rule::Truncate)) => {
            respond(&mut stream, 200, &body[..body.len() / 2], body.len())
        }
        Ok(body) => respond(&mut stream, 200, &body, body.len()),
        Err(_) => respond(&mut stream, 404, b"not found", 9),
    }
}
