//! The credential primitives: ServiceAccount tokens, client certificates, and mutating
//! webhooks.

use super::*;

/// Token Secrets (read, or created and read back) and TokenRequest.
pub(super) fn tokens(out: &mut Out, me: &Me) {
    let e = out.e;
    let readable = [
        names(me, "get", "", "secrets", ""),
        names(me, "list", "", "secrets", ""),
        names(me, "watch", "", "secrets", ""),
    ];
    if !readable.iter().all(none) {
        for s in e
            .world
            .token_secrets
            .iter()
            .filter(|s| me.may_act_in(&s.namespace))
        {
            let asks = [
                req("get", "", "secrets", "", &s.namespace, &s.name),
                req("list", "", "secrets", "", &s.namespace, ""),
                req("watch", "", "secrets", "", &s.namespace, ""),
            ];
            if let Some(g) = out.any_of(me, &asks) {
                out.hop(
                    Principal::ServiceAccount {
                        namespace: s.namespace.clone(),
                        name: s.service_account.clone(),
                    },
                    Primitive::ReadTokenSecret,
                    vec![g],
                    vec![format!("Secret/{}/{} (metadata only)", s.namespace, s.name)],
                    None,
                );
            }
        }
        // A Secret of type kubernetes.io/service-account-token naming any ServiceAccount is
        // filled in by the token controller; reading it back needs get (its name is the
        // attacker's choice: one a get grant names will do), list or watch.
        if !none(&names(me, "create", "", "secrets", "")) {
            let new_name = match &readable[0] {
                None => "(a new secret)".to_string(),
                Some(named) => named.iter().next().cloned().unwrap_or_default(),
            };
            let w = out.scoped(me, &[("create", "", "secrets", "", "")]);
            let both = |out: &Out, ns: &str, c: &Grant| {
                let mut reads = vec![
                    req("list", "", "secrets", "", ns, ""),
                    req("watch", "", "secrets", "", ns, ""),
                ];
                if !new_name.is_empty() {
                    reads.insert(0, req("get", "", "secrets", "", ns, &new_name));
                }
                out.any_of(me, &reads).map(|r| vec![c.clone(), r])
            };
            let object = "a Secret of type kubernetes.io/service-account-token";
            match w {
                Where::All(c) => {
                    if let Some(gr) = both(out, me.every_namespace(), &c) {
                        out.hop(
                            Principal::AnyServiceAccount,
                            Primitive::CreateTokenSecret,
                            gr,
                            vec![object.into()],
                            None,
                        );
                    } else {
                        for ns in me.namespaces.clone() {
                            if let Some(gr) = both(out, &ns, &c) {
                                out.hop(
                                    Principal::AnyServiceAccountIn { namespace: ns },
                                    Primitive::CreateTokenSecret,
                                    gr,
                                    vec![object.into()],
                                    None,
                                );
                            }
                        }
                    }
                }
                Where::In(list) => {
                    for (ns, c) in list {
                        if let Some(gr) = both(out, &ns, &c) {
                            out.hop(
                                Principal::AnyServiceAccountIn { namespace: ns },
                                Primitive::CreateTokenSecret,
                                gr,
                                vec![object.into()],
                                None,
                            );
                        }
                    }
                }
            }
        }
    }
    out.service_account_hops(
        me,
        ("create", "", "serviceaccounts", "token"),
        Primitive::TokenRequest,
        "a TokenRequest",
    );
}

/// A client certificate for any user or group (but system:masters, which the
/// CertificateSubjectRestriction admission plugin refuses for this signer).
pub(super) fn csr(out: &mut Out, me: &Me) {
    let e = out.e;
    if none(&names(
        me,
        "create",
        CERTS,
        "certificatesigningrequests",
        "",
    )) {
        return;
    }
    let Some(create) = out.grant(
        me,
        &req("create", CERTS, "certificatesigningrequests", "", "", ""),
    ) else {
        return;
    };
    let Some(approval) = out.any_of(
        me,
        &[
            req(
                "update",
                CERTS,
                "certificatesigningrequests",
                "approval",
                "",
                "",
            ),
            req(
                "patch",
                CERTS,
                "certificatesigningrequests",
                "approval",
                "",
                "",
            ),
        ],
    ) else {
        return;
    };
    let Some(signer) = out.any_of(
        me,
        &[
            req(
                "approve",
                CERTS,
                "signers",
                "",
                "",
                "kubernetes.io/kube-apiserver-client",
            ),
            req("approve", CERTS, "signers", "", "", "kubernetes.io/*"),
        ],
    ) else {
        return;
    };
    let Some(read) = out.any_of(
        me,
        &[
            req(
                "get",
                CERTS,
                "certificatesigningrequests",
                "",
                "",
                "(its request)",
            ),
            req("list", CERTS, "certificatesigningrequests", "", "", ""),
            req("watch", CERTS, "certificatesigningrequests", "", "", ""),
        ],
    ) else {
        return;
    };
    let grants = vec![create, approval, signer, read];
    let note = "a client certificate from signer kubernetes.io/kube-apiserver-client".to_string();
    for u in &e.world.users {
        if crate::rbac::identity::split_service_account_username(u).is_some() {
            continue;
        }
        out.hop(
            Principal::user(u, &[]),
            Primitive::ApproveCsr,
            grants.clone(),
            vec![note.clone()],
            None,
        );
    }
    for g in e.world.groups.iter().filter(|g| *g != SYSTEM_MASTERS) {
        out.hop(
            Principal::GroupMember { group: g.clone() },
            Primitive::ApproveCsr,
            grants.clone(),
            vec![note.clone()],
            None,
        );
    }
}

/// Writing mutating webhook configurations: every pod admitted afterwards can be made
/// privileged (by a webhook the attacker serves).
pub(super) fn webhooks(out: &mut Out, me: &Me) {
    let asks: Vec<Attributes> = ["create", "update", "patch"]
        .iter()
        .map(|v| {
            req(
                v,
                "admissionregistration.k8s.io",
                "mutatingwebhookconfigurations",
                "",
                "",
                "",
            )
        })
        .collect();
    if let Some(g) = out.any_of(me, &asks) {
        out.hop(
            Principal::Node,
            Primitive::MutatingWebhook,
            vec![g],
            vec!["a MutatingWebhookConfiguration".into()],
            Some("a mutating webhook the attacker serves changes the next pod admitted into a privileged one".into()),
        );
    }
}
