//! A small static file server on 127.0.0.1 for the built site: `GET` and
//! `HEAD` only, one thread per connection, files inside the folder only,
//! `.wasm` as `application/wasm` (browsers compile it while it downloads
//! only with that type). No live reload: the site is what a host serves.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

/// The longest request head read, in bytes.
const REQUEST_HEAD_BYTES_MAX: u64 = 16 * 1024;

/// Serves `dir` on `127.0.0.1:port` until the process is stopped.
pub fn serve(dir: &Path, port: u16) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| {
        format!("could not listen on 127.0.0.1:{port} (in use? choose another with PORT=…)")
    })?;
    let dir = dir.canonicalize().with_context(|| {
        format!(
            "nothing to serve at {}: build the site first",
            dir.display()
        )
    })?;
    eprintln!("Strata visualizer: http://127.0.0.1:{port}/  (chapters: http://127.0.0.1:{port}/book/; Ctrl-C stops)");
    run(listener, dir)
}

/// Answers connections on `listener` with files from `dir` (canonical).
pub fn run(listener: TcpListener, dir: PathBuf) -> Result<()> {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let dir = dir.clone();
        std::thread::spawn(move || {
            // A client that goes away mid-answer is not the server's problem.
            let _ = answer(stream, &dir);
        });
    }
    Ok(())
}

fn answer(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new((&stream).take(REQUEST_HEAD_BYTES_MAX));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read the rest of the head; its fields are not needed.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            false,
        );
    }
    match resolve(dir, target) {
        Some(path) => match fs::read(&path) {
            Ok(body) => respond(&mut stream, 200, mime_type(&path), &body, head_only),
            Err(_) => not_found(&mut stream, head_only),
        },
        None => not_found(&mut stream, head_only),
    }
}

fn not_found(stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
    respond(
        stream,
        404,
        "text/plain; charset=utf-8",
        b"not found\n",
        head_only,
    )
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    mime: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The file a request target names inside `dir`: the query dropped,
/// `%XX` decoded, a folder meaning its `index.html`; `None` for anything
/// that would leave `dir`.
pub fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    let mut file = dir.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    // Symbolic links may not lead out of the folder.
    let canonical = file.canonicalize().ok()?;
    canonical.starts_with(dir).then_some(canonical)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file, by extension.
pub fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
