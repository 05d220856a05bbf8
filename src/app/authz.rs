//! The authorizer chain a command evaluates with: `--authorization-mode` and its files, a
//! structured `--authorization-config`, or (live) the flags of the kube-apiserver Pod.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context as _};
use serde::Deserialize;

use super::load::{LiveSession, Loaded};
use super::{note, warn, UsageError};
use crate::cli::GlobalArgs;
use crate::model::{AccessModel, Inventory, MissingData};
use crate::rbac::abac::{parse_abac_policy, AbacPolicyList};
use crate::rbac::chain::{parse_authorization_modes, Chain, ChainDecision, Mode, Verdict};
use crate::rbac::node::{node_identity, NodeAuthorizer, NodeFeatures};
use crate::rbac::{Attributes, Explain, UserInfo};
use crate::source::live::{self, Kind};
use crate::source::webhook::WebhookClient;

/// kube-apiserver's webhook timeout when none is configured.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(30);

/// The webhook of the chain and how its failures count.
#[derive(Debug)]
pub struct Webhook {
    /// Where to ask; `None` when it cannot be asked (then it is Unknown).
    pub client: Option<WebhookClient>,
    /// Why it cannot be asked.
    pub unavailable: Option<String>,
    /// A failed call denies (structured `failurePolicy: Deny`) instead of having no opinion.
    pub failure_denies: bool,
}

/// The configured chain and the data of its authorizers.
#[derive(Debug)]
pub struct Authorizers {
    /// The modes in order (after the privileged group).
    pub modes: Vec<Mode>,
    /// The ABAC policy, when ABAC is configured.
    pub abac: Option<AbacPolicyList>,
    /// The Node authorizer with its graph, when Node is configured.
    pub node: Option<NodeAuthorizer>,
    /// The webhook, when Webhook is configured.
    pub webhook: Option<Webhook>,
}

impl Authorizers {
    /// Plain RBAC (after system:masters): the evaluator alone decides.
    pub fn rbac_only(&self) -> bool {
        self.modes == [Mode::Rbac]
    }

    /// Reads the flags (and, live, the cluster) into a chain. `subject` is the identity a
    /// single-subject command asks about (the Node graph is fetched live only for nodes).
    pub async fn from_flags(
        global: &GlobalArgs,
        loaded: &Loaded,
        subject: Option<&UserInfo>,
    ) -> anyhow::Result<Authorizers> {
        let mut webhook_file = global.authorization_webhook_config_file.clone();
        let mut webhook_timeout = WEBHOOK_TIMEOUT;
        let mut webhook_version = global.authorization_webhook_version.clone();
        let mut failure_denies = false;
        let mut unavailable = None;
        let modes = if let Some(path) = &global.authorization_config {
            if global.authorization_mode.is_some() {
                return Err(UsageError(
                    "--authorization-config and --authorization-mode cannot both be given (as in kube-apiserver)".into(),
                )
                .into());
            }
            let config = StructuredConfig::read(path)?;
            if let Some(w) = config.webhook {
                webhook_file = w.kubeconfig;
                webhook_timeout = w.timeout;
                webhook_version = w.version;
                failure_denies = w.failure_denies;
                unavailable = w.unavailable;
            }
            config.modes
        } else if let Some(list) = &global.authorization_mode {
            parse_authorization_modes(list).map_err(|e| UsageError(e.to_string()))?
        } else if let Some(session) = &loaded.live {
            from_cluster(session).await
        } else {
            vec![Mode::Rbac]
        };
        let abac = match (&global.authorization_policy_file, modes.contains(&Mode::Abac)) {
            (Some(path), true) => {
                let text = read_small(path, "the ABAC policy file")?;
                Some(parse_abac_policy(&path.display().to_string(), &text)?)
            }
            (None, true) => bail!(UsageError(
                "--authorization-mode includes ABAC: give its policy with --authorization-policy-file FILE".into()
            )),
            (Some(_), false) => {
                warn("--authorization-policy-file is ignored: the chain has no ABAC");
                None
            }
            (None, false) => None,
        };
        let node = if modes.contains(&Mode::Node) {
            let mut inventory_owned = None;
            if let Some(session) = &loaded.live {
                if subject.is_none_or(|u| node_identity(u).is_some()) {
                    inventory_owned = Some(node_graph_live(session).await?);
                }
            }
            let inventory = inventory_owned.as_ref().unwrap_or(&loaded.inventory);
            Some(
                NodeAuthorizer::from_inventory(inventory, NodeFeatures::default())
                    .context("building the Node authorizer's graph")?,
            )
        } else {
            None
        };
        let webhook = if modes.contains(&Mode::Webhook) {
            let client = match &webhook_file {
                Some(path) if unavailable.is_none() => Some(
                    WebhookClient::from_config_file(path, &webhook_version, webhook_timeout)
                        .context("reading the webhook authorizer's configuration")?,
                ),
                _ => None,
            };
            if client.is_none() && unavailable.is_none() {
                unavailable = Some("no --authorization-webhook-config-file was given".into());
            }
            Some(Webhook {
                client,
                unavailable,
                failure_denies,
            })
        } else {
            if webhook_file.is_some() && global.authorization_config.is_none() {
                warn("--authorization-webhook-config-file is ignored: the chain has no Webhook");
            }
            None
        };
        Ok(Authorizers {
            modes,
            abac,
            node,
            webhook,
        })
    }

    /// The chain over a compiled model (the webhook not asked yet).
    pub fn chain<'a>(&'a self, model: &'a AccessModel) -> Chain<'a> {
        let mut chain = Chain::new(self.modes.clone()).with_rbac(model);
        if let Some(a) = &self.abac {
            chain = chain.with_abac(a);
        }
        if let Some(n) = &self.node {
            chain = chain.with_node(n);
        }
        chain
    }

    /// The chain's decision, asking the webhook only when the chain reaches it undecided (as
    /// kube-apiserver does). A failed webhook call is NoOpinion (or Deny under
    /// `failurePolicy: Deny`), with a warning.
    pub async fn decide(
        &self,
        model: &AccessModel,
        user: &UserInfo,
        attrs: &Attributes,
        explain: Explain,
    ) -> ChainDecision {
        let mut chain = self.chain(model);
        let first = chain.authorize(user, attrs, explain);
        let reached_webhook = first.unknown.contains(&crate::rbac::Authorizer::Webhook);
        let Some(webhook) = self.webhook.as_ref().filter(|_| reached_webhook) else {
            return first;
        };
        let Some(client) = &webhook.client else {
            return first;
        };
        let answer = client.review(user, attrs).await;
        let verdict = match (&answer.error, answer.verdict) {
            (Some(e), Verdict::NoOpinion) => {
                warn(format_args!(
                    "the webhook authorizer at {} could not answer: {e}",
                    client.url()
                ));
                if webhook.failure_denies {
                    Verdict::Deny
                } else {
                    Verdict::NoOpinion
                }
            }
            (_, v) => v,
        };
        let reason = match (&answer.error, answer.reason.is_empty()) {
            (Some(e), _) if answer.verdict == Verdict::NoOpinion => format!("webhook error: {e}"),
            (_, true) => String::new(),
            (_, false) => answer.reason.clone(),
        };
        chain.webhook = Some((verdict, reason));
        chain.authorize(user, attrs, explain)
    }

    /// For commands that follow RBAC grants only (escalation, lint): what the rest of the
    /// chain may add, said once; `None` when the chain is RBAC alone (after system:masters)
    /// or adds nothing (AlwaysDeny).
    pub fn beyond_rbac(&self) -> Option<String> {
        let others: Vec<&str> = self
            .modes
            .iter()
            // Node grants kubelets what their pods use; escalation models a node as what
            // it reaches (every pod on it), so Node adds nothing to follow.
            .filter(|m| !matches!(m, Mode::Rbac | Mode::AlwaysDeny | Mode::Node))
            .map(|m| m.as_str())
            .collect();
        (!others.is_empty()).then(|| {
            format!(
                "the chain {} also has {}: this command follows RBAC grants (and system:masters) only, so access those authorizers give is not followed",
                self.describe(),
                others.join(", ")
            )
        })
    }

    /// What the chain's other authorizers add for one identity, as notes for `can-i --list`
    /// (which lists RBAC rules).
    pub fn list_notes(&self, user: &UserInfo) -> Vec<String> {
        let mut notes = Vec::new();
        for mode in &self.modes {
            match mode {
                Mode::AlwaysAllow => notes.push("AlwaysAllow is in the chain: every request is allowed".to_string()),
                Mode::Abac => {
                    if let Some(policy) = &self.abac {
                        for p in policy.policies.iter().filter(|p| p.subject_matches(user)) {
                            notes.push(format!(
                                "ABAC: line {} of {} also applies (resource {:?} in namespace {:?}, apiGroup {:?}, nonResourcePath {:?}{})",
                                p.line,
                                policy.source,
                                p.resource,
                                p.namespace,
                                p.api_group,
                                p.non_resource_path,
                                if p.readonly { ", read-only" } else { "" }
                            ));
                        }
                    }
                }
                Mode::Node if node_identity(user).is_some() => notes.push(
                    "Node: the static node rules (the system:node role) and the objects of pods bound to this node are also allowed (ask can-i for one)".to_string(),
                ),
                Mode::Webhook => notes.push(
                    "Webhook: the webhook may allow more (or deny); ask can-i for one request".to_string(),
                ),
                _ => {}
            }
        }
        notes
    }

    /// The chain alone, for commands that only say what it adds (no Node graph fetched).
    pub async fn modes_only(global: &GlobalArgs, loaded: &Loaded) -> anyhow::Result<Authorizers> {
        // A subject that is not a node: the live Node graph is not read.
        Authorizers::from_flags(global, loaded, Some(&UserInfo::default())).await
    }

    /// One line for notes: `Node,RBAC`.
    pub fn describe(&self) -> String {
        self.modes
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Reads a configuration file with a bound (a FIFO or /dev/zero is an error).
fn read_small(path: &Path, what: &str) -> anyhow::Result<String> {
    crate::source::bounded::read_config(path).with_context(|| format!("{what} {}", path.display()))
}

/// The chain the cluster's kube-apiserver Pod runs (kubeadm and most installers run it as a
/// static Pod in kube-system with its flags visible), else RBAC with a note saying so.
async fn from_cluster(session: &LiveSession) -> Vec<Mode> {
    match live::apiserver_flags(&session.client, session.timeout).await {
        Ok(Some((pod, flags))) => {
            let value = |name: &str| {
                flags.iter().find_map(|f| {
                    f.strip_prefix(name)
                        .and_then(|r| r.strip_prefix('='))
                        .map(String::from)
                })
            };
            if value("--authorization-config").is_some() {
                note(format_args!("kube-apiserver Pod {pod} uses --authorization-config (a file on its node): assuming Node,RBAC; give --authorization-config FILE or --authorization-mode LIST to be exact"));
                return vec![Mode::Node, Mode::Rbac];
            }
            match value("--authorization-mode").map(|v| parse_authorization_modes(&v)) {
                Some(Ok(modes)) => {
                    if modes.contains(&Mode::Abac) || modes.contains(&Mode::Webhook) {
                        note(format_args!(
                            "kube-apiserver Pod {pod} runs --authorization-mode={}: give its files (--authorization-policy-file, --authorization-webhook-config-file) for exact answers",
                            modes.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(",")
                        ));
                    }
                    modes
                }
                // kube-apiserver's own default is AlwaysAllow; no installer leaves it so.
                _ => {
                    note(format_args!(
                        "kube-apiserver Pod {pod} shows no --authorization-mode: assuming RBAC"
                    ));
                    vec![Mode::Rbac]
                }
            }
        }
        Ok(None) => {
            note("the authorization mode is not visible (no kube-apiserver Pod in kube-system): assuming RBAC; give --authorization-mode LIST to be exact");
            vec![Mode::Rbac]
        }
        Err(e) => {
            note(format_args!("the authorization mode is not visible ({e}): assuming RBAC; give --authorization-mode LIST to be exact"));
            vec![Mode::Rbac]
        }
    }
}

/// What the Node authorizer's graph needs, read live: Pods (the graph kinds kubeaudit does
/// not list live are recorded as missing, so that a path through them is "cannot tell").
async fn node_graph_live(session: &LiveSession) -> anyhow::Result<Inventory> {
    let (mut inventory, _) = super::load::fetch_inventory(session, &[Kind::Pod]).await?;
    for kind in [
        "PersistentVolume",
        "VolumeAttachment",
        "ResourceSlice",
        "PodCertificateRequest",
    ] {
        inventory.missing.push(MissingData {
            kind: kind.into(),
            namespace: None,
            reason: "not read from a live cluster by kubeaudit (use -f with them for the Node authorizer)".into(),
            code: None,
        });
    }
    Ok(inventory)
}

/// A structured AuthorizationConfiguration, as far as kubeaudit evaluates it.
struct StructuredConfig {
    modes: Vec<Mode>,
    webhook: Option<StructuredWebhook>,
}

struct StructuredWebhook {
    kubeconfig: Option<std::path::PathBuf>,
    timeout: Duration,
    version: String,
    failure_denies: bool,
    unavailable: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigFile {
    #[serde(default)]
    api_version: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    authorizers: Vec<ConfigAuthorizer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigAuthorizer {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    webhook: Option<ConfigWebhook>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigWebhook {
    #[serde(default)]
    timeout: Option<String>,
    #[serde(default)]
    subject_access_review_version: String,
    #[serde(default)]
    failure_policy: String,
    #[serde(default)]
    connection_info: ConnectionInfo,
    #[serde(default)]
    match_conditions: Vec<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ConnectionInfo {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    kube_config_file: Option<std::path::PathBuf>,
}

impl StructuredConfig {
    fn read(path: &Path) -> anyhow::Result<StructuredConfig> {
        let text = read_small(path, "the authorization configuration")?;
        let shown = path.display();
        let file: ConfigFile = serde_saphyr::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{shown}: not an AuthorizationConfiguration: {e}"))?;
        if file.kind != "AuthorizationConfiguration"
            || !file.api_version.starts_with("apiserver.config.k8s.io/")
        {
            bail!("{shown}: expected kind AuthorizationConfiguration of apiserver.config.k8s.io, found kind {:?} apiVersion {:?}", file.kind, file.api_version);
        }
        if file.authorizers.is_empty() {
            bail!("{shown}: authorizers: at least one authorizer is required");
        }
        let mut modes = Vec::new();
        let mut webhook = None;
        for (i, a) in file.authorizers.iter().enumerate() {
            let at = format!("{shown}: authorizers[{i}]");
            let mode = match a.kind.as_str() {
                "Webhook" => Mode::Webhook,
                "Node" => Mode::Node,
                "RBAC" => Mode::Rbac,
                "AlwaysAllow" => Mode::AlwaysAllow,
                "AlwaysDeny" => Mode::AlwaysDeny,
                "ABAC" => bail!("{at}.type: ABAC cannot be configured in an AuthorizationConfiguration (kube-apiserver refuses it)"),
                other => bail!("{at}.type: {other:?} is not one of Webhook, Node, RBAC, AlwaysAllow, AlwaysDeny"),
            };
            if modes.contains(&mode) {
                if mode == Mode::Webhook {
                    bail!("{at}: kubeaudit evaluates one Webhook authorizer; this configuration has several");
                }
                bail!(
                    "{at}.type: {} is listed twice (kube-apiserver refuses it)",
                    a.kind
                );
            }
            if mode == Mode::Webhook {
                let Some(w) = &a.webhook else {
                    bail!("{at}.webhook: required for type Webhook");
                };
                let timeout = match &w.timeout {
                    None => WEBHOOK_TIMEOUT,
                    Some(t) => crate::source::kubeconfig::parse_request_timeout(t)
                        .map_err(|e| anyhow::anyhow!("{at}.webhook.timeout: {e}"))?
                        .unwrap_or(WEBHOOK_TIMEOUT),
                };
                let failure_denies = match w.failure_policy.as_str() {
                    "Deny" => true,
                    "NoOpinion" => false,
                    other => {
                        bail!("{at}.webhook.failurePolicy: {other:?} is not NoOpinion or Deny")
                    }
                };
                let version = match w.subject_access_review_version.as_str() {
                    v @ ("v1" | "v1beta1") => v.to_string(),
                    other => bail!(
                        "{at}.webhook.subjectAccessReviewVersion: {other:?} is not v1 or v1beta1"
                    ),
                };
                let unavailable = if !w.match_conditions.is_empty() {
                    Some(format!(
                        "webhook {:?} has matchConditions (CEL), which kubeaudit does not evaluate",
                        a.name
                    ))
                } else if w.connection_info.kind == "InClusterConfig" {
                    Some(format!(
                        "webhook {:?} is reached in-cluster (connectionInfo InClusterConfig)",
                        a.name
                    ))
                } else {
                    None
                };
                let kubeconfig = match (w.connection_info.kind.as_str(), &w.connection_info.kube_config_file) {
                    ("KubeConfigFile", Some(f)) => Some(f.clone()),
                    ("KubeConfigFile", None) => bail!("{at}.webhook.connectionInfo.kubeConfigFile: required for type KubeConfigFile"),
                    ("InClusterConfig", _) => None,
                    (other, _) => bail!("{at}.webhook.connectionInfo.type: {other:?} is not KubeConfigFile or InClusterConfig"),
                };
                webhook = Some(StructuredWebhook {
                    kubeconfig,
                    timeout,
                    version,
                    failure_denies,
                    unavailable,
                });
            }
            modes.push(mode);
        }
        Ok(StructuredConfig { modes, webhook })
    }
}
