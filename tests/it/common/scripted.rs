//! A bare TCP server that records every request (head and body) and answers
//! from a script: for servers that lie, redirect or misbehave in ways the demo
//! API will not.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug, Default)]
pub struct Recorded {
    /// Request line and headers, as received.
    pub head: String,
    pub body: String,
}

impl Recorded {
    pub fn path(&self) -> &str {
        self.head.split_whitespace().nth(1).unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

pub struct Scripted {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Scripted {
    /// Serves on 127.0.0.1 from a thread; `answer` gets each request and the
    /// number of requests before it, and returns the whole raw response.
    pub fn start(answer: impl Fn(&Recorded, usize) -> String + Send + Sync + 'static) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (seen, answer) = (seen.clone(), answer.clone());
                std::thread::spawn(move || serve(stream, &seen, &*answer));
            }
        });
        Scripted { port, requests }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    pub fn recorded(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<Recorded>>, answer: &(dyn Fn(&Recorded, usize) -> String + Send + Sync)) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
            head.push_str(&line);
        }
        let mut req = Recorded { head, body: String::new() };
        let len: usize = req.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        req.body = String::from_utf8_lossy(&body).into_owned();
        let n = {
            let mut all = seen.lock().unwrap();
            all.push(req.clone());
            all.len() - 1
        };
        let response = answer(&req, n);
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// A response with a JSON body.
pub fn json(status: u16, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

/// A redirect to `location`.
pub fn redirect(status: u16, location: &str) -> String {
    format!("HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n")
}

/// A page of `n` events with ids from `first_id`, and an optional total.
pub fn events_page(first_id: i64, n: usize, total: Option<u64>) -> String {
    let events: Vec<String> = (0..n as i64)
        .map(|i| {
            format!(
                r#"{{"eventDate":"2025-01-01 10:00:00","eventName":"ADD_TRANSACTION","targetValue":"1.00","periodId":7,"uniqueId":"u{id}","eventLogId":{id},"eventProcessedDate":"2025-01-01 10:00:01","customerId":1,"targetGroupId":2,"targetRuleId":3}}"#,
                id = first_id + i
            )
        })
        .collect();
    let total = total.map_or("null".to_string(), |t| t.to_string());
    format!(
        r#"{{"pagination":{{"limit":{n},"offset":0,"total":{total}}},"data":[{}],"errors":[],"warnings":null}}"#,
        events.join(",")
    )
}
