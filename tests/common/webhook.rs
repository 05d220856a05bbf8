//! A loopback webhook authorizer for the tests: plain HTTP on 127.0.0.1, one thread, answering
//! SubjectAccessReviews (v1 or v1beta1) by a fixed policy that both kube-apiserver and
//! kubeaudit ask:
//!
//! - users starting `webhook-allow`, or in group `webhook-admins`: allowed;
//! - users starting `webhook-deny`: denied (an explicit Deny that ends the chain);
//! - requests on resource `webhookwidgets`: allowed for anyone;
//! - anything else: no opinion.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The policy's answer: (allowed, denied, reason).
pub fn decide(spec: &Value) -> (bool, bool, String) {
    let user = spec["user"].as_str().unwrap_or("");
    let groups: Vec<&str> = ["groups", "group"]
        .iter()
        .filter_map(|k| spec[*k].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let resource = spec["resourceAttributes"]["resource"]
        .as_str()
        .unwrap_or("");
    if user.starts_with("webhook-deny") {
        return (false, true, format!("loopback webhook denies {user}"));
    }
    if user.starts_with("webhook-allow") || groups.contains(&"webhook-admins") {
        return (true, false, format!("loopback webhook allows {user}"));
    }
    if resource == "webhookwidgets" {
        return (true, false, "loopback webhook allows webhookwidgets".into());
    }
    (false, false, String::new())
}

/// A running webhook: its URL and a kubeconfig-format file naming it.
#[allow(dead_code)] // shown in messages by some tests
pub struct LoopbackWebhook {
    /// `http://127.0.0.1:PORT/authorize`.
    pub url: String,
    /// The kubeconfig-format file for `--authorization-webhook-config-file`.
    pub config: PathBuf,
}

/// Starts the webhook (it runs until the test process ends) and writes its config file in `dir`.
pub fn start(dir: &Path) -> LoopbackWebhook {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding the loopback webhook");
    let port = listener.local_addr().expect("webhook address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    let url = format!("http://127.0.0.1:{port}/authorize");
    std::fs::create_dir_all(dir).expect("webhook dir");
    let config = dir.join("webhook.kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: webhook\n  cluster:\n    server: {url}\n\
users:\n- name: apiserver\n  user: {{}}\ncontexts:\n- name: webhook\n  context:\n    cluster: webhook\n    user: apiserver\n\
current-context: webhook\n"
    );
    std::fs::write(&config, text).expect("writing the webhook config");
    LoopbackWebhook { url, config }
}

/// HTTP/1.1 with keep-alive: one review per request.
fn serve(stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut writer = stream;
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let h = header.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let review: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let (allowed, denied, reason) = decide(&review["spec"]);
        let mut status = json!({ "allowed": allowed });
        if denied {
            status["denied"] = json!(true);
        }
        if !reason.is_empty() {
            status["reason"] = json!(reason);
        }
        let answer = json!({
            "apiVersion": review["apiVersion"].as_str().unwrap_or("authorization.k8s.io/v1"),
            "kind": "SubjectAccessReview",
            "status": status,
        })
        .to_string();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            answer.len()
        );
        if writer.write_all(head.as_bytes()).is_err()
            || writer.write_all(answer.as_bytes()).is_err()
        {
            return;
        }
    }
}
