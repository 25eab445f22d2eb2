use super::*;

fn site() -> Result<(tempfile::TempDir, PathBuf)> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("site");
    fs::create_dir_all(dir.join("book/en"))?;
    fs::write(dir.join("index.html"), "<p>app</p>")?;
    fs::write(dir.join("strata-web_bg.wasm"), b"\0asm\x01\0\0\0")?;
    fs::write(dir.join("book/en/index.html"), "contents")?;
    fs::write(dir.join("book/en/a b.html"), "spaced")?;
    fs::write(tmp.path().join("secret.txt"), "outside")?;
    let dir = dir.canonicalize()?;
    Ok((tmp, dir))
}

/// Starts the server on a free port and returns the port.
fn start(dir: PathBuf) -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || run(listener, dir));
    Ok(port)
}

fn request(port: u16, head: &str) -> Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.write_all(head.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[test]
fn files_are_served_with_their_mime_types() -> Result<()> {
    let (_tmp, dir) = site()?;
    let port = start(dir)?;
    let wasm = request(port, "GET /strata-web_bg.wasm HTTP/1.1\r\nHost: x\r\n\r\n")?;
    assert!(wasm.starts_with("HTTP/1.1 200 OK\r\n"), "{wasm}");
    assert!(
        wasm.contains("Content-Type: application/wasm\r\n"),
        "{wasm}"
    );
    assert!(wasm.contains("Content-Length: 8\r\n"), "{wasm}");
    let page = request(port, "GET /?embed=1 HTTP/1.1\r\n\r\n")?;
    assert!(
        page.contains("text/html; charset=utf-8") && page.ends_with("<p>app</p>"),
        "{page}"
    );
    let folder = request(port, "GET /book/en/ HTTP/1.1\r\n\r\n")?;
    assert!(folder.ends_with("contents"), "{folder}");
    let spaced = request(port, "GET /book/en/a%20b.html HTTP/1.1\r\n\r\n")?;
    assert!(spaced.ends_with("spaced"), "{spaced}");
    Ok(())
}

#[test]
fn head_answers_without_a_body_and_other_methods_are_refused() -> Result<()> {
    let (_tmp, dir) = site()?;
    let port = start(dir)?;
    let head = request(port, "HEAD /index.html HTTP/1.1\r\n\r\n")?;
    assert!(
        head.starts_with("HTTP/1.1 200 OK") && head.ends_with("\r\n\r\n"),
        "{head}"
    );
    assert!(head.contains("Content-Length: 10\r\n"), "{head}");
    let post = request(port, "POST /index.html HTTP/1.1\r\n\r\n")?;
    assert!(post.starts_with("HTTP/1.1 405 "), "{post}");
    Ok(())
}

#[test]
fn nothing_outside_the_folder_is_served() -> Result<()> {
    let (_tmp, dir) = site()?;
    let port = start(dir.clone())?;
    for target in [
        "/../secret.txt",
        "/book/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/missing.html",
        "/%zz",
    ] {
        let answer = request(port, &format!("GET {target} HTTP/1.1\r\n\r\n"))?;
        assert!(answer.starts_with("HTTP/1.1 404 "), "{target}: {answer}");
        assert!(!answer.contains("outside"), "{target}");
    }
    assert_eq!(resolve(&dir, "/../secret.txt"), None);
    Ok(())
}
