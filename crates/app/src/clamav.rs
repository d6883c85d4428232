//! A client for ClamAV's scanning daemon, clamd (DOC-2): every upload is sent to
//! it over its `INSTREAM` protocol before it is stored, when
//! `SEND_PORTAL_CLAMAV` names it.
//!
//! The protocol: `zINSTREAM\0`, then the file in chunks (each a 4-byte
//! big-endian length and that many bytes), then a zero-length chunk; clamd
//! answers `stream: OK` or `stream: <signature> FOUND`, ended by a NUL.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// How long connecting to clamd may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a whole scan (sending the file and waiting for the verdict) may take.
pub const SCAN_TIMEOUT: Duration = Duration::from_mins(1);

/// The largest chunk sent at once (clamd reads chunks of any size up to its
/// `StreamMaxLength`; smaller ones keep memory flat on both sides).
pub const CHUNK_BYTES: usize = 64 * 1024;

/// The longest answer read from clamd.
const MAX_REPLY_BYTES: usize = 4096;

/// Where clamd listens.
#[derive(Clone, PartialEq, Eq)]
pub enum ClamAvAddress {
    /// `tcp://host:port`.
    Tcp { host: String, port: u16 },
    /// A unix socket: `unix:///path` or a bare absolute path.
    Unix(PathBuf),
}

impl fmt::Display for ClamAvAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tcp { host, port } if host.contains(':') => write!(f, "tcp://[{host}]:{port}"),
            Self::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            Self::Unix(path) => write!(f, "unix://{}", path.display()),
        }
    }
}

impl fmt::Debug for ClamAvAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// What clamd said about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanVerdict {
    Clean,
    /// Infected, with the name of the signature that matched.
    Infected(String),
}

/// Why a file could not be scanned. The upload is then refused: a file is never
/// stored unscanned when a scanner is configured.
#[derive(Debug, thiserror::Error)]
pub enum ClamAvError {
    #[error(
        "SEND_PORTAL_CLAMAV must be tcp://host:port, unix:///path/to/clamd.sock or an absolute socket path, not {0:?}"
    )]
    BadAddress(String),
    #[error("could not connect to clamd at {address}: {source}")]
    Connect {
        address: ClamAvAddress,
        source: std::io::Error,
    },
    #[error("clamd at {0} did not answer in time")]
    Timeout(ClamAvAddress),
    #[error("lost the connection to clamd at {address}: {source}")]
    Io {
        address: ClamAvAddress,
        source: std::io::Error,
    },
    /// clamd answered, but not with a verdict (for example
    /// `INSTREAM size limit exceeded. ERROR`).
    #[error("clamd at {address} answered {reply:?}")]
    Reply {
        address: ClamAvAddress,
        reply: String,
    },
}

/// A clamd to scan files with. Each scan opens its own connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClamAv {
    address: ClamAvAddress,
}

impl ClamAv {
    /// Reads `tcp://host:port`, `unix:///path` or `/path` (a unix socket).
    pub fn parse(setting: &str) -> Result<Self, ClamAvError> {
        let raw = setting.trim();
        let bad = || ClamAvError::BadAddress(raw.to_owned());
        let address = if let Some(rest) = raw.strip_prefix("tcp://") {
            let url = url::Url::parse(raw).map_err(|_| bad())?;
            let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(bad)?;
            let port = url.port().ok_or_else(bad)?;
            if !matches!(url.path(), "" | "/") || rest.contains(['?', '#', '@']) {
                return Err(bad());
            }
            ClamAvAddress::Tcp {
                host: host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_owned(),
                port,
            }
        } else if let Some(path) = raw.strip_prefix("unix://") {
            if !path.starts_with('/') || path.len() < 2 {
                return Err(bad());
            }
            ClamAvAddress::Unix(PathBuf::from(path))
        } else if raw.starts_with('/') && raw.len() > 1 {
            ClamAvAddress::Unix(PathBuf::from(raw))
        } else {
            return Err(bad());
        };
        Ok(Self { address })
    }

    pub fn address(&self) -> &ClamAvAddress {
        &self.address
    }

    /// Sends `bytes` to clamd and returns its verdict.
    pub async fn scan(&self, bytes: &[u8]) -> Result<ScanVerdict, ClamAvError> {
        let reply = self.converse(b"zINSTREAM\0", Some(bytes)).await?;
        parse_verdict(&reply).ok_or_else(|| ClamAvError::Reply {
            address: self.address.clone(),
            reply,
        })
    }

    /// Checks that clamd answers (`zPING` → `PONG`).
    pub async fn ping(&self) -> Result<(), ClamAvError> {
        let reply = self.converse(b"zPING\0", None).await?;
        if reply == "PONG" {
            Ok(())
        } else {
            Err(ClamAvError::Reply {
                address: self.address.clone(),
                reply,
            })
        }
    }

    /// Connects, sends the command (and the file, as an `INSTREAM`), and reads
    /// the answer, all within [`SCAN_TIMEOUT`].
    async fn converse(&self, command: &[u8], body: Option<&[u8]>) -> Result<String, ClamAvError> {
        let work = async {
            match &self.address {
                ClamAvAddress::Tcp { host, port } => {
                    let stream = self
                        .connect(tokio::net::TcpStream::connect((host.as_str(), *port)))
                        .await?;
                    self.exchange(stream, command, body).await
                }
                #[cfg(unix)]
                ClamAvAddress::Unix(path) => {
                    let stream = self.connect(tokio::net::UnixStream::connect(path)).await?;
                    self.exchange(stream, command, body).await
                }
                #[cfg(not(unix))]
                ClamAvAddress::Unix(_) => Err(ClamAvError::Connect {
                    address: self.address.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::Unsupported,
                        "unix sockets are not available on this system",
                    ),
                }),
            }
        };
        tokio::time::timeout(SCAN_TIMEOUT, work)
            .await
            .map_err(|_| ClamAvError::Timeout(self.address.clone()))?
    }

    async fn connect<S>(
        &self,
        connecting: impl Future<Output = std::io::Result<S>>,
    ) -> Result<S, ClamAvError> {
        match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
            Err(_) => Err(ClamAvError::Timeout(self.address.clone())),
            Ok(Err(source)) => Err(ClamAvError::Connect {
                address: self.address.clone(),
                source,
            }),
            Ok(Ok(stream)) => Ok(stream),
        }
    }

    async fn exchange<S>(
        &self,
        mut stream: S,
        command: &[u8],
        body: Option<&[u8]>,
    ) -> Result<String, ClamAvError>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let io = |source| ClamAvError::Io {
            address: self.address.clone(),
            source,
        };
        let sent = send(&mut stream, command, body).await;
        let reply = read_reply(&mut stream).await;
        match (sent, reply) {
            (Ok(()), reply) => reply.map_err(io),
            // clamd stops reading and answers when a stream is too long; its
            // answer says more than the broken pipe.
            (Err(_), Ok(reply)) if !reply.is_empty() => Ok(reply),
            (Err(source), _) => Err(io(source)),
        }
    }
}

async fn send<S>(stream: &mut S, command: &[u8], body: Option<&[u8]>) -> std::io::Result<()>
where
    S: AsyncWrite + Unpin,
{
    stream.write_all(command).await?;
    if let Some(body) = body {
        for chunk in body.chunks(CHUNK_BYTES) {
            let len = u32::try_from(chunk.len()).map_err(std::io::Error::other)?;
            stream.write_all(&len.to_be_bytes()).await?;
            stream.write_all(chunk).await?;
        }
        stream.write_all(&0u32.to_be_bytes()).await?;
    }
    stream.flush().await
}

/// Reads up to the NUL that ends a `z`-command's answer (or the end of the
/// connection), without it and trimmed.
async fn read_reply<S>(stream: &mut S) -> std::io::Result<String>
where
    S: AsyncRead + Unpin,
{
    let mut reply = Vec::new();
    let mut buffer = [0u8; 512];
    loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        let got = &buffer[..read];
        if let Some(end) = got.iter().position(|&b| b == 0) {
            reply.extend_from_slice(&got[..end]);
            break;
        }
        reply.extend_from_slice(got);
        if reply.len() > MAX_REPLY_BYTES {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&reply).trim().to_owned())
}

/// `stream: OK` → clean; `stream: <name> FOUND` → infected; anything else
/// (errors such as `INSTREAM size limit exceeded. ERROR`) → `None`.
fn parse_verdict(reply: &str) -> Option<ScanVerdict> {
    let rest = reply.strip_prefix("stream:")?.trim();
    if rest == "OK" {
        return Some(ScanVerdict::Clean);
    }
    let name = rest.strip_suffix(" FOUND")?.trim();
    (!name.is_empty()).then(|| ScanVerdict::Infected(name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_tcp_urls_or_unix_sockets() {
        assert_eq!(
            ClamAv::parse("tcp://127.0.0.1:3310").unwrap().address(),
            &ClamAvAddress::Tcp {
                host: "127.0.0.1".to_owned(),
                port: 3310
            }
        );
        assert_eq!(
            ClamAv::parse(" tcp://clamav.internal:3310/ ")
                .unwrap()
                .address(),
            &ClamAvAddress::Tcp {
                host: "clamav.internal".to_owned(),
                port: 3310
            }
        );
        let ipv6 = ClamAv::parse("tcp://[::1]:3310").unwrap();
        assert_eq!(
            ipv6.address(),
            &ClamAvAddress::Tcp {
                host: "::1".to_owned(),
                port: 3310
            }
        );
        assert_eq!(ipv6.address().to_string(), "tcp://[::1]:3310");
        assert_eq!(
            ClamAv::parse("unix:///run/clamav/clamd.ctl")
                .unwrap()
                .address(),
            &ClamAvAddress::Unix(PathBuf::from("/run/clamav/clamd.ctl"))
        );
        assert_eq!(
            ClamAv::parse("/run/clamav/clamd.ctl").unwrap().address(),
            &ClamAvAddress::Unix(PathBuf::from("/run/clamav/clamd.ctl"))
        );
        for bad in [
            "",
            "clamd",
            "tcp://127.0.0.1",
            "tcp://:3310",
            "tcp://host:99999",
            "tcp://host:3310/scan",
            "tcp://user@host:3310",
            "http://127.0.0.1:3310",
            "unix://relative/clamd.sock",
            "run/clamd.sock",
            "/",
        ] {
            let err = ClamAv::parse(bad).unwrap_err();
            assert!(
                err.to_string().contains("SEND_PORTAL_CLAMAV"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn verdicts_are_read_from_clamd_answers() {
        assert_eq!(parse_verdict("stream: OK"), Some(ScanVerdict::Clean));
        assert_eq!(
            parse_verdict("stream: Win.Test.EICAR_HDB-1 FOUND"),
            Some(ScanVerdict::Infected("Win.Test.EICAR_HDB-1".to_owned()))
        );
        assert_eq!(
            parse_verdict("stream: SendPortal.Test.Signature.UNOFFICIAL FOUND"),
            Some(ScanVerdict::Infected(
                "SendPortal.Test.Signature.UNOFFICIAL".to_owned()
            ))
        );
        assert_eq!(parse_verdict("INSTREAM size limit exceeded. ERROR"), None);
        assert_eq!(parse_verdict("stream: FOUND"), None);
        assert_eq!(parse_verdict("stream: Can't allocate memory ERROR"), None);
        assert_eq!(parse_verdict("UNKNOWN COMMAND"), None);
        assert_eq!(parse_verdict(""), None);
    }

    /// A stand-in clamd on a local socket: checks the framing, answers as told.
    async fn fake_clamd(answer: &'static [u8]) -> (ClamAv, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut command = [0u8; 10];
            stream.read_exact(&mut command).await.unwrap();
            assert_eq!(&command, b"zINSTREAM\0");
            let mut received = Vec::new();
            loop {
                let len = stream.read_u32().await.unwrap() as usize;
                assert!(len <= CHUNK_BYTES, "a chunk of {len} bytes");
                if len == 0 {
                    break;
                }
                let mut chunk = vec![0; len];
                stream.read_exact(&mut chunk).await.unwrap();
                received.extend_from_slice(&chunk);
            }
            stream.write_all(answer).await.unwrap();
            received
        });
        (
            ClamAv::parse(&format!("tcp://127.0.0.1:{port}")).unwrap(),
            task,
        )
    }

    #[tokio::test]
    async fn files_are_streamed_in_chunks_and_the_verdict_read() {
        let file: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let (clamav, server) = fake_clamd(b"stream: OK\0").await;
        assert_eq!(clamav.scan(&file).await.unwrap(), ScanVerdict::Clean);
        assert_eq!(server.await.unwrap(), file);

        let (clamav, _server) = fake_clamd(b"stream: Eicar-Signature FOUND\0").await;
        assert_eq!(
            clamav.scan(b"X5O!P%@AP").await.unwrap(),
            ScanVerdict::Infected("Eicar-Signature".to_owned())
        );

        let (clamav, _server) = fake_clamd(b"INSTREAM size limit exceeded. ERROR\0").await;
        let err = clamav.scan(b"big").await.unwrap_err();
        assert!(matches!(err, ClamAvError::Reply { .. }), "{err}");
    }

    #[tokio::test]
    async fn a_clamd_that_is_not_there_is_an_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let clamav = ClamAv::parse(&format!("tcp://127.0.0.1:{port}")).unwrap();
        let err = clamav.scan(b"hello").await.unwrap_err();
        assert!(matches!(err, ClamAvError::Connect { .. }), "{err}");
        let missing = ClamAv::parse("/nonexistent/clamd.sock").unwrap();
        assert!(missing.ping().await.is_err());
    }
}
