//! A TCP proxy for outage tests (needs a tokio runtime with more than one worker, so it runs
//! while the test thread waits).

/// A TCP proxy to the test database that can be cut (every connection dropped, nothing
/// listening) and restored on the same port: a database outage, as the server sees one.
pub struct Proxy {
    pub port: u16,
    target: String,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Proxy {
    pub async fn start(target: &str) -> Proxy {
        let mut proxy = Proxy {
            port: super::free_port(),
            target: target.to_owned(),
            task: None,
        };
        proxy.restore().await;
        proxy
    }

    /// A proxy to the database of a `postgres://user:password@HOST:PORT/db?...` URL, and the
    /// URL with the proxy in HOST:PORT's place.
    pub async fn in_front_of(url: &str) -> (Proxy, String) {
        let at = url.find('@').expect("a URL with a user") + 1;
        let end = at + url[at..].find('/').expect("a database");
        let proxy = Proxy::start(&url[at..end]).await;
        let through = format!("{}127.0.0.1:{}{}", &url[..at], proxy.port, &url[end..]);
        (proxy, through)
    }

    pub async fn restore(&mut self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("the proxy's port");
        let target = self.target.clone();
        self.task = Some(tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                links.spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        }));
    }

    /// Drops the listener and every link (the JoinSet aborts its tasks when dropped).
    pub async fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}
