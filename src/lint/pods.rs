//! Pod security: every Pod and workload pod template against the Pod Security Standards
//! (baseline and restricted, as Pod Security admission checks them in Kubernetes 1.35), with
//! a container's securityContext overriding the pod's where Kubernetes applies it so.

use serde::Serialize;

use super::{Context, Finding, Location, ObjectRef, Rule};
use crate::model::field_path::FieldPath;
use crate::model::workload::{Container, PodTemplate, Profile};

/// A Pod Security Standards level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Unrestricted: violates baseline.
    Privileged,
    /// Meets baseline, not restricted.
    Baseline,
    /// Meets restricted.
    Restricted,
}

impl Level {
    /// The level's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// Which control a violation is of (one lint rule each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// `privileged: true`.
    Privileged,
    /// hostNetwork / hostPID / hostIPC.
    HostNamespaces,
    /// hostPath volumes.
    HostPath,
    /// Capabilities added beyond baseline's list.
    AddedCapabilities,
    /// hostPort.
    HostPort,
    /// AppArmor, SELinux, procMount, sysctls, hostProcess.
    OtherBaseline,
    /// allowPrivilegeEscalation not false.
    PrivilegeEscalation,
    /// runAsNonRoot not true, or runAsUser 0.
    RunAsRoot,
    /// drop ALL missing, or added beyond NET_BIND_SERVICE.
    Capabilities,
    /// seccompProfile unset or Unconfined.
    Seccomp,
    /// Volume types restricted does not allow.
    VolumeTypes,
    /// readOnlyRootFilesystem not true (not a Pod Security Standards control).
    WritableRoot,
}

/// One violation.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The control.
    pub control: Control,
    /// The level it breaks (`None` for controls outside the standards).
    pub level: Option<Level>,
    /// The field.
    pub path: FieldPath,
    /// Tells violations of one control in one object apart (container name, volume name …).
    pub key: String,
    /// What is wrong.
    pub message: String,
}

const BASELINE_CAPABILITIES: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

const SAFE_SYSCTLS: [&str; 10] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

const SELINUX_TYPES: [&str; 5] = [
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

const RESTRICTED_VOLUMES: [&str; 8] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// A capability as written, without a `CAP_` prefix, upper-case (as the runtime reads it).
fn cap(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    upper.strip_prefix("CAP_").unwrap_or(&upper).to_string()
}

fn container_label(path: &FieldPath, c: &Container) -> String {
    let list = match path.0.get(path.0.len().saturating_sub(2)) {
        Some(crate::model::field_path::PathSegment::Key(k)) if k == "initContainers" => {
            "init container"
        }
        Some(crate::model::field_path::PathSegment::Key(k)) if k == "ephemeralContainers" => {
            "ephemeral container"
        }
        _ => "container",
    };
    format!("{list} {:?}", c.name)
}

/// Every violation of one pod template.
pub fn violations(t: &PodTemplate) -> Vec<Violation> {
    let mut out = Vec::new();
    let spec = &t.spec;
    let pod_sc = &spec.security_context;
    let mut push = |control, level, path: FieldPath, key: String, message: String| {
        out.push(Violation {
            control,
            level,
            path,
            key,
            message,
        })
    };
    let base = Some(Level::Baseline);
    let restricted = Some(Level::Restricted);
    let sp = &t.spec_path;
    for (field, on) in [
        ("hostNetwork", spec.host_network),
        ("hostPID", spec.host_pid),
        ("hostIPC", spec.host_ipc),
    ] {
        if on {
            push(
                Control::HostNamespaces,
                base,
                sp.key(field),
                field.into(),
                format!("{field}: true shares the node's namespace with the pod"),
            );
        }
    }
    for (i, v) in spec.volumes.iter().enumerate() {
        if let Some(path) = &v.host_path {
            push(
                Control::HostPath,
                base,
                sp.key("volumes").index(i).key("hostPath"),
                v.name.clone(),
                format!("volume {:?} mounts the node's {path:?} (hostPath)", v.name),
            );
        }
        if !v.source.is_empty() && !RESTRICTED_VOLUMES.contains(&v.source.as_str()) {
            push(
                Control::VolumeTypes,
                restricted,
                sp.key("volumes").index(i).key(&v.source),
                v.name.clone(),
                format!(
                    "volume {:?} is of type {}, which the restricted level does not allow",
                    v.name, v.source
                ),
            );
        }
    }
    let pod_path = sp.key("securityContext");
    if let Some(p) = pod_sc.windows_options.as_ref().and_then(|w| w.host_process) {
        if p {
            push(
                Control::OtherBaseline,
                base,
                pod_path.key("windowsOptions").key("hostProcess"),
                "hostProcess".into(),
                "windowsOptions.hostProcess: true runs the pod as a Windows host process".into(),
            );
        }
    }
    if let Some(se) = &pod_sc.se_linux_options {
        selinux(&mut push, &pod_path.key("seLinuxOptions"), "pod", se);
    }
    if pod_sc.app_armor_profile.as_ref().is_some_and(unconfined) {
        push(
            Control::OtherBaseline,
            base,
            pod_path.key("appArmorProfile").key("type"),
            "apparmor".into(),
            "appArmorProfile.type: Unconfined turns AppArmor off for the pod".into(),
        );
    }
    for (i, s) in pod_sc.sysctls.iter().enumerate() {
        if !SAFE_SYSCTLS.contains(&s.name.as_str()) {
            push(
                Control::OtherBaseline,
                base,
                pod_path.key("sysctls").index(i),
                format!("sysctl:{}", s.name),
                format!("sysctl {:?} is not one of the safe sysctls", s.name),
            );
        }
    }
    for (key, value) in &t.pod_annotations {
        if let Some(container) = key.strip_prefix("container.apparmor.security.beta.kubernetes.io/")
        {
            if value == "unconfined" {
                push(
                    Control::OtherBaseline,
                    base,
                    FieldPath::keys(&["metadata", "annotations"]),
                    format!("apparmor:{container}"),
                    format!("annotation {key}: unconfined turns AppArmor off for container {container:?}"),
                );
            }
        }
    }
    let pod_seccomp = pod_sc.seccomp_profile.as_ref();
    if pod_seccomp.is_some_and(unconfined) {
        push(
            Control::Seccomp,
            base,
            pod_path.key("seccompProfile").key("type"),
            "pod".into(),
            "seccompProfile.type: Unconfined turns seccomp off for the pod".into(),
        );
    }
    for (path, c) in t.all_containers() {
        let who = container_label(&path, c);
        let sc = c.security_context.clone().unwrap_or_default();
        let cp = path.key("securityContext");
        let key = c.name.clone();
        if sc.privileged == Some(true) {
            push(
                Control::Privileged,
                base,
                cp.key("privileged"),
                key.clone(),
                format!("{who} is privileged: it has every capability and the node's devices"),
            );
        }
        if sc.windows_options.as_ref().and_then(|w| w.host_process) == Some(true) {
            push(
                Control::OtherBaseline,
                base,
                cp.key("windowsOptions").key("hostProcess"),
                format!("hostProcess:{key}"),
                format!("{who} runs as a Windows host process"),
            );
        }
        let caps = sc.capabilities.clone().unwrap_or_default();
        for (i, a) in caps.add.iter().enumerate() {
            let name = cap(a);
            if !BASELINE_CAPABILITIES.contains(&name.as_str()) {
                push(
                    Control::AddedCapabilities,
                    base,
                    cp.key("capabilities").key("add").index(i),
                    format!("{key}:{name}"),
                    format!("{who} adds capability {a}, beyond the baseline level's list"),
                );
            } else if name != "NET_BIND_SERVICE" {
                push(
                    Control::Capabilities,
                    restricted,
                    cp.key("capabilities").key("add").index(i),
                    format!("{key}:add:{name}"),
                    format!("{who} adds capability {a}; the restricted level allows only NET_BIND_SERVICE"),
                );
            }
        }
        if !caps.drop.iter().any(|d| cap(d) == "ALL") {
            push(
                Control::Capabilities,
                restricted,
                if sc.capabilities.is_some() {
                    cp.key("capabilities")
                } else if c.security_context.is_some() {
                    cp.clone()
                } else {
                    path.clone()
                },
                format!("{key}:drop"),
                format!("{who} does not drop ALL capabilities"),
            );
        }
        for (i, port) in c.ports.iter().enumerate() {
            if port.host_port != 0 {
                push(
                    Control::HostPort,
                    base,
                    path.key("ports").index(i).key("hostPort"),
                    format!("{key}:{}", port.host_port),
                    format!("{who} binds host port {}", port.host_port),
                );
            }
        }
        if let Some(se) = &sc.se_linux_options {
            selinux(&mut push, &cp.key("seLinuxOptions"), &who, se);
        }
        if sc.proc_mount.as_deref().is_some_and(|m| m != "Default") {
            push(
                Control::OtherBaseline,
                base,
                cp.key("procMount"),
                format!("procMount:{key}"),
                format!(
                    "{who} sets procMount {:?}: /proc is not masked",
                    sc.proc_mount.as_deref().unwrap_or("")
                ),
            );
        }
        if sc.app_armor_profile.as_ref().is_some_and(unconfined) {
            push(
                Control::OtherBaseline,
                base,
                cp.key("appArmorProfile").key("type"),
                format!("apparmor:{key}"),
                format!("{who} sets appArmorProfile.type Unconfined"),
            );
        }
        match (sc.seccomp_profile.as_ref(), pod_seccomp) {
            (Some(p), _) if unconfined(p) => push(
                Control::Seccomp,
                base,
                cp.key("seccompProfile").key("type"),
                key.clone(),
                format!("{who} sets seccompProfile.type Unconfined: seccomp is off"),
            ),
            (Some(p), _) if confined(p) => {}
            (_, Some(p)) if confined(p) => {}
            _ => {
                if !pod_seccomp.is_some_and(unconfined) {
                    push(
                        Control::Seccomp,
                        restricted,
                        if c.security_context.is_some() { cp.clone() } else { path.clone() },
                        key.clone(),
                        format!("{who} has no seccompProfile (RuntimeDefault or Localhost), neither its own nor the pod's"),
                    );
                }
            }
        }
        if sc.allow_privilege_escalation != Some(false) {
            push(
                Control::PrivilegeEscalation,
                restricted,
                if c.security_context.is_some() {
                    cp.key("allowPrivilegeEscalation")
                } else {
                    path.clone()
                },
                key.clone(),
                format!("{who} does not set allowPrivilegeEscalation: false (setuid binaries can gain privileges)"),
            );
        }
        let non_root = sc.run_as_non_root.or(pod_sc.run_as_non_root);
        let user = sc.run_as_user.or(pod_sc.run_as_user);
        if user == Some(0) {
            let field = if sc.run_as_user.is_some() {
                cp.key("runAsUser")
            } else {
                pod_path.key("runAsUser")
            };
            push(
                Control::RunAsRoot,
                restricted,
                field,
                key.clone(),
                format!("{who} runs as user 0 (root)"),
            );
        } else if non_root != Some(true) {
            let field = if sc.run_as_non_root.is_some() {
                cp.key("runAsNonRoot")
            } else if c.security_context.is_some() {
                cp.clone()
            } else {
                path.clone()
            };
            push(
                Control::RunAsRoot,
                restricted,
                field,
                key.clone(),
                format!("{who} may run as root: runAsNonRoot is not true, neither its own nor the pod's"),
            );
        }
        if sc.read_only_root_filesystem != Some(true) && !path_is_ephemeral(&path) {
            push(
                Control::WritableRoot,
                None,
                if c.security_context.is_some() {
                    cp.key("readOnlyRootFilesystem")
                } else {
                    path.clone()
                },
                key.clone(),
                format!(
                    "{who} has a writable root filesystem (readOnlyRootFilesystem is not true)"
                ),
            );
        }
    }
    out
}

fn path_is_ephemeral(path: &FieldPath) -> bool {
    path.0.iter().any(|s| {
        matches!(s, crate::model::field_path::PathSegment::Key(k) if k == "ephemeralContainers")
    })
}

fn unconfined(p: &Profile) -> bool {
    p.kind == "Unconfined"
}

fn confined(p: &Profile) -> bool {
    p.kind == "RuntimeDefault" || p.kind == "Localhost"
}

fn selinux(
    push: &mut impl FnMut(Control, Option<Level>, FieldPath, String, String),
    path: &FieldPath,
    who: &str,
    se: &crate::model::workload::SeLinuxOptions,
) {
    if !SELINUX_TYPES.contains(&se.kind.as_str()) {
        push(
            Control::OtherBaseline,
            Some(Level::Baseline),
            path.key("type"),
            format!("selinux-type:{who}"),
            format!("{who} sets SELinux type {:?}", se.kind),
        );
    }
    if !se.user.is_empty() || !se.role.is_empty() {
        push(
            Control::OtherBaseline,
            Some(Level::Baseline),
            path.key(if se.user.is_empty() { "role" } else { "user" }),
            format!("selinux-user:{who}"),
            format!("{who} sets a custom SELinux user or role"),
        );
    }
}

/// The Pod Security Standards level a template meets.
pub fn level(violations: &[Violation]) -> Level {
    if violations.iter().any(|v| v.level == Some(Level::Baseline)) {
        Level::Privileged
    } else if violations
        .iter()
        .any(|v| v.level == Some(Level::Restricted))
    {
        Level::Baseline
    } else {
        Level::Restricted
    }
}

/// The object of a template.
pub fn template_object(t: &PodTemplate) -> ObjectRef {
    ObjectRef::new(&t.kind, &t.namespace, &t.name)
}

/// Findings of one control.
fn check(ctx: &Context, rule: &'static Rule, control: Control, out: &mut Vec<Finding>) {
    for t in ctx.input.templates {
        let all = violations(t);
        let meets = level(&all);
        for v in all.iter().filter(|v| v.control == control) {
            let standard = match v.level {
                Some(l) => format!(
                    "; violates the Pod Security Standards {} level (this {} meets {})",
                    l.as_str(),
                    t.kind,
                    meets.as_str()
                ),
                None => String::new(),
            };
            out.push(Finding::new(
                rule,
                Location::new(template_object(t), &t.origin, v.path.clone()),
                None,
                &v.key,
                format!(
                    "{} {}/{}: {}{standard}",
                    t.kind, t.namespace, t.name, v.message
                ),
            ));
        }
    }
}

macro_rules! controls {
    ($($name:ident => $control:ident),* $(,)?) => {
        $(
            #[doc = concat!("Findings of control `", stringify!($control), "`.")]
            pub fn $name(ctx: &Context, rule: &'static Rule, out: &mut Vec<Finding>) {
                check(ctx, rule, Control::$control, out)
            }
        )*
    };
}

controls! {
    privileged => Privileged,
    host_namespaces => HostNamespaces,
    host_path => HostPath,
    added_capabilities => AddedCapabilities,
    host_port => HostPort,
    other_baseline => OtherBaseline,
    privilege_escalation => PrivilegeEscalation,
    run_as_root => RunAsRoot,
    capabilities => Capabilities,
    seccomp => Seccomp,
    volume_types => VolumeTypes,
    writable_root => WritableRoot,
}
