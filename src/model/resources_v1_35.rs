//! The API resources a default kube-apiserver 1.35 serves (GA groups only; every beta and
//! alpha API is off by default since 1.24), in discovery order.
//!
//! Facts were collected from public sources and written down by hand:
//! * group, version, plural, kind and scope: the `Resource` impls of k8s-openapi 0.29
//!   (feature `v1_35`);
//! * singular names, short names, verbs and subresources: the aggregated discovery fixtures
//!   kept in kubernetes/kubernetes (`api/discovery/*.json`), updated for 1.35 (`pods/resize`,
//!   the 1.33+ GA networking resources, `volumeattributesclasses` GA in 1.34,
//!   `resource.k8s.io/v1` GA in 1.34);
//! * group order: the kube-apiserver/aggregator group priorities as seen in `/apis`
//!   (core first, then `apiregistration.k8s.io`, `apps`, `events.k8s.io`, ...). kubectl's
//!   REST mapper uses this order to pick between resources of the same name.

/// One subresource (`pods/log`, `deployments/scale`, ...).
pub(crate) struct BuiltinSubresource {
    /// The subresource name after the `/`.
    pub name: &'static str,
    /// Verbs discovery lists for it.
    pub verbs: &'static [&'static str],
}

/// One top-level resource of a group version.
pub(crate) struct BuiltinResource {
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub short_names: &'static [&'static str],
    pub namespaced: bool,
    pub verbs: &'static [&'static str],
    pub subresources: &'static [BuiltinSubresource],
}

/// One served version of a group.
pub(crate) struct BuiltinVersion {
    pub version: &'static str,
    pub resources: &'static [BuiltinResource],
}

/// One API group; `versions[0]` is the preferred version.
pub(crate) struct BuiltinGroup {
    pub name: &'static str,
    pub versions: &'static [BuiltinVersion],
}

/// The eight verbs of an ordinary REST resource.
const STD: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
/// `create` only (review-style and binding resources).
const CREATE: &[&str] = &["create"];
/// Verbs of `/status`, `/scale` and similar update-style subresources.
const GPU: &[&str] = &["get", "patch", "update"];
/// Verbs of the connect-style proxy subresources.
const PROXY: &[&str] = &["create", "delete", "get", "patch", "update"];
/// Verbs of exec/attach/portforward.
const CONNECT: &[&str] = &["create", "get"];

const STATUS: BuiltinSubresource = BuiltinSubresource {
    name: "status",
    verbs: GPU,
};
const SCALE: BuiltinSubresource = BuiltinSubresource {
    name: "scale",
    verbs: GPU,
};
const ONLY_STATUS: &[BuiltinSubresource] = &[STATUS];
const SCALE_STATUS: &[BuiltinSubresource] = &[SCALE, STATUS];
const NONE: &[BuiltinSubresource] = &[];

/// Shorthand for a resource with the standard verbs.
const fn std_res(
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    short_names: &'static [&'static str],
    namespaced: bool,
    subresources: &'static [BuiltinSubresource],
) -> BuiltinResource {
    BuiltinResource {
        plural,
        singular,
        kind,
        short_names,
        namespaced,
        verbs: STD,
        subresources,
    }
}

/// Shorthand for a create-only resource without subresources.
const fn create_only(
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
) -> BuiltinResource {
    BuiltinResource {
        plural,
        singular,
        kind,
        short_names: &[],
        namespaced,
        verbs: CREATE,
        subresources: NONE,
    }
}

const CORE_V1: &[BuiltinResource] = &[
    create_only("bindings", "binding", "Binding", true),
    BuiltinResource {
        plural: "componentstatuses",
        singular: "componentstatus",
        kind: "ComponentStatus",
        short_names: &["cs"],
        namespaced: false,
        verbs: &["get", "list"],
        subresources: NONE,
    },
    std_res("configmaps", "configmap", "ConfigMap", &["cm"], true, NONE),
    std_res("endpoints", "endpoints", "Endpoints", &["ep"], true, NONE),
    std_res("events", "event", "Event", &["ev"], true, NONE),
    std_res(
        "limitranges",
        "limitrange",
        "LimitRange",
        &["limits"],
        true,
        NONE,
    ),
    BuiltinResource {
        plural: "namespaces",
        singular: "namespace",
        kind: "Namespace",
        short_names: &["ns"],
        namespaced: false,
        // Namespaces cannot be deleted as a collection.
        verbs: &[
            "create", "delete", "get", "list", "patch", "update", "watch",
        ],
        subresources: &[
            BuiltinSubresource {
                name: "finalize",
                verbs: &["update"],
            },
            STATUS,
        ],
    },
    std_res(
        "nodes",
        "node",
        "Node",
        &["no"],
        false,
        &[
            BuiltinSubresource {
                name: "proxy",
                verbs: PROXY,
            },
            STATUS,
        ],
    ),
    std_res(
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        "PersistentVolumeClaim",
        &["pvc"],
        true,
        ONLY_STATUS,
    ),
    std_res(
        "persistentvolumes",
        "persistentvolume",
        "PersistentVolume",
        &["pv"],
        false,
        ONLY_STATUS,
    ),
    std_res(
        "pods",
        "pod",
        "Pod",
        &["po"],
        true,
        &[
            BuiltinSubresource {
                name: "attach",
                verbs: CONNECT,
            },
            BuiltinSubresource {
                name: "binding",
                verbs: CREATE,
            },
            BuiltinSubresource {
                name: "ephemeralcontainers",
                verbs: GPU,
            },
            BuiltinSubresource {
                name: "eviction",
                verbs: CREATE,
            },
            BuiltinSubresource {
                name: "exec",
                verbs: CONNECT,
            },
            BuiltinSubresource {
                name: "log",
                verbs: &["get"],
            },
            BuiltinSubresource {
                name: "portforward",
                verbs: CONNECT,
            },
            BuiltinSubresource {
                name: "proxy",
                verbs: PROXY,
            },
            BuiltinSubresource {
                name: "resize",
                verbs: GPU,
            },
            STATUS,
        ],
    ),
    std_res(
        "podtemplates",
        "podtemplate",
        "PodTemplate",
        &[],
        true,
        NONE,
    ),
    std_res(
        "replicationcontrollers",
        "replicationcontroller",
        "ReplicationController",
        &["rc"],
        true,
        SCALE_STATUS,
    ),
    std_res(
        "resourcequotas",
        "resourcequota",
        "ResourceQuota",
        &["quota"],
        true,
        ONLY_STATUS,
    ),
    std_res("secrets", "secret", "Secret", &[], true, NONE),
    std_res(
        "serviceaccounts",
        "serviceaccount",
        "ServiceAccount",
        &["sa"],
        true,
        &[BuiltinSubresource {
            name: "token",
            verbs: CREATE,
        }],
    ),
    std_res(
        "services",
        "service",
        "Service",
        &["svc"],
        true,
        &[
            BuiltinSubresource {
                name: "proxy",
                verbs: PROXY,
            },
            STATUS,
        ],
    ),
];

const APIREGISTRATION_V1: &[BuiltinResource] = &[std_res(
    "apiservices",
    "apiservice",
    "APIService",
    &[],
    false,
    ONLY_STATUS,
)];

const APPS_V1: &[BuiltinResource] = &[
    std_res(
        "controllerrevisions",
        "controllerrevision",
        "ControllerRevision",
        &[],
        true,
        NONE,
    ),
    std_res(
        "daemonsets",
        "daemonset",
        "DaemonSet",
        &["ds"],
        true,
        ONLY_STATUS,
    ),
    std_res(
        "deployments",
        "deployment",
        "Deployment",
        &["deploy"],
        true,
        SCALE_STATUS,
    ),
    std_res(
        "replicasets",
        "replicaset",
        "ReplicaSet",
        &["rs"],
        true,
        SCALE_STATUS,
    ),
    std_res(
        "statefulsets",
        "statefulset",
        "StatefulSet",
        &["sts"],
        true,
        SCALE_STATUS,
    ),
];

const EVENTS_V1: &[BuiltinResource] = &[std_res("events", "event", "Event", &["ev"], true, NONE)];

const AUTHENTICATION_V1: &[BuiltinResource] = &[
    create_only(
        "selfsubjectreviews",
        "selfsubjectreview",
        "SelfSubjectReview",
        false,
    ),
    create_only("tokenreviews", "tokenreview", "TokenReview", false),
];

const AUTHORIZATION_V1: &[BuiltinResource] = &[
    create_only(
        "localsubjectaccessreviews",
        "localsubjectaccessreview",
        "LocalSubjectAccessReview",
        true,
    ),
    create_only(
        "selfsubjectaccessreviews",
        "selfsubjectaccessreview",
        "SelfSubjectAccessReview",
        false,
    ),
    create_only(
        "selfsubjectrulesreviews",
        "selfsubjectrulesreview",
        "SelfSubjectRulesReview",
        false,
    ),
    create_only(
        "subjectaccessreviews",
        "subjectaccessreview",
        "SubjectAccessReview",
        false,
    ),
];

/// Served identically by autoscaling/v2 (preferred) and autoscaling/v1.
const AUTOSCALING: &[BuiltinResource] = &[std_res(
    "horizontalpodautoscalers",
    "horizontalpodautoscaler",
    "HorizontalPodAutoscaler",
    &["hpa"],
    true,
    ONLY_STATUS,
)];

const BATCH_V1: &[BuiltinResource] = &[
    std_res("cronjobs", "cronjob", "CronJob", &["cj"], true, ONLY_STATUS),
    std_res("jobs", "job", "Job", &[], true, ONLY_STATUS),
];

const CERTIFICATES_V1: &[BuiltinResource] = &[std_res(
    "certificatesigningrequests",
    "certificatesigningrequest",
    "CertificateSigningRequest",
    &["csr"],
    false,
    &[
        BuiltinSubresource {
            name: "approval",
            verbs: GPU,
        },
        STATUS,
    ],
)];

const NETWORKING_V1: &[BuiltinResource] = &[
    std_res(
        "ingressclasses",
        "ingressclass",
        "IngressClass",
        &[],
        false,
        NONE,
    ),
    std_res(
        "ingresses",
        "ingress",
        "Ingress",
        &["ing"],
        true,
        ONLY_STATUS,
    ),
    std_res(
        "ipaddresses",
        "ipaddress",
        "IPAddress",
        &["ip"],
        false,
        NONE,
    ),
    std_res(
        "networkpolicies",
        "networkpolicy",
        "NetworkPolicy",
        &["netpol"],
        true,
        NONE,
    ),
    std_res(
        "servicecidrs",
        "servicecidr",
        "ServiceCIDR",
        &[],
        false,
        ONLY_STATUS,
    ),
];

const POLICY_V1: &[BuiltinResource] = &[std_res(
    "poddisruptionbudgets",
    "poddisruptionbudget",
    "PodDisruptionBudget",
    &["pdb"],
    true,
    ONLY_STATUS,
)];

const RBAC_V1: &[BuiltinResource] = &[
    std_res(
        "clusterrolebindings",
        "clusterrolebinding",
        "ClusterRoleBinding",
        &[],
        false,
        NONE,
    ),
    std_res(
        "clusterroles",
        "clusterrole",
        "ClusterRole",
        &[],
        false,
        NONE,
    ),
    std_res(
        "rolebindings",
        "rolebinding",
        "RoleBinding",
        &[],
        true,
        NONE,
    ),
    std_res("roles", "role", "Role", &[], true, NONE),
];

const STORAGE_V1: &[BuiltinResource] = &[
    std_res("csidrivers", "csidriver", "CSIDriver", &[], false, NONE),
    std_res("csinodes", "csinode", "CSINode", &[], false, NONE),
    std_res(
        "csistoragecapacities",
        "csistoragecapacity",
        "CSIStorageCapacity",
        &[],
        true,
        NONE,
    ),
    std_res(
        "storageclasses",
        "storageclass",
        "StorageClass",
        &["sc"],
        false,
        NONE,
    ),
    std_res(
        "volumeattachments",
        "volumeattachment",
        "VolumeAttachment",
        &[],
        false,
        ONLY_STATUS,
    ),
    std_res(
        "volumeattributesclasses",
        "volumeattributesclass",
        "VolumeAttributesClass",
        &["vac"],
        false,
        NONE,
    ),
];

const ADMISSIONREGISTRATION_V1: &[BuiltinResource] = &[
    std_res(
        "mutatingwebhookconfigurations",
        "mutatingwebhookconfiguration",
        "MutatingWebhookConfiguration",
        &[],
        false,
        NONE,
    ),
    std_res(
        "validatingadmissionpolicies",
        "validatingadmissionpolicy",
        "ValidatingAdmissionPolicy",
        &[],
        false,
        ONLY_STATUS,
    ),
    std_res(
        "validatingadmissionpolicybindings",
        "validatingadmissionpolicybinding",
        "ValidatingAdmissionPolicyBinding",
        &[],
        false,
        NONE,
    ),
    std_res(
        "validatingwebhookconfigurations",
        "validatingwebhookconfiguration",
        "ValidatingWebhookConfiguration",
        &[],
        false,
        NONE,
    ),
];

const APIEXTENSIONS_V1: &[BuiltinResource] = &[std_res(
    "customresourcedefinitions",
    "customresourcedefinition",
    "CustomResourceDefinition",
    &["crd", "crds"],
    false,
    ONLY_STATUS,
)];

const SCHEDULING_V1: &[BuiltinResource] = &[std_res(
    "priorityclasses",
    "priorityclass",
    "PriorityClass",
    &["pc"],
    false,
    NONE,
)];

const COORDINATION_V1: &[BuiltinResource] = &[std_res("leases", "lease", "Lease", &[], true, NONE)];

const NODE_V1: &[BuiltinResource] = &[std_res(
    "runtimeclasses",
    "runtimeclass",
    "RuntimeClass",
    &[],
    false,
    NONE,
)];

const DISCOVERY_V1: &[BuiltinResource] = &[std_res(
    "endpointslices",
    "endpointslice",
    "EndpointSlice",
    &[],
    true,
    NONE,
)];

const FLOWCONTROL_V1: &[BuiltinResource] = &[
    std_res(
        "flowschemas",
        "flowschema",
        "FlowSchema",
        &[],
        false,
        ONLY_STATUS,
    ),
    std_res(
        "prioritylevelconfigurations",
        "prioritylevelconfiguration",
        "PriorityLevelConfiguration",
        &[],
        false,
        ONLY_STATUS,
    ),
];

const RESOURCE_V1: &[BuiltinResource] = &[
    std_res(
        "deviceclasses",
        "deviceclass",
        "DeviceClass",
        &[],
        false,
        NONE,
    ),
    std_res(
        "resourceclaims",
        "resourceclaim",
        "ResourceClaim",
        &[],
        true,
        ONLY_STATUS,
    ),
    std_res(
        "resourceclaimtemplates",
        "resourceclaimtemplate",
        "ResourceClaimTemplate",
        &[],
        true,
        NONE,
    ),
    std_res(
        "resourceslices",
        "resourceslice",
        "ResourceSlice",
        &[],
        false,
        NONE,
    ),
];

/// Shorthand for a group served in the single version `v1`.
macro_rules! single {
    ($name:expr, $resources:expr) => {
        BuiltinGroup {
            name: $name,
            versions: &[BuiltinVersion {
                version: "v1",
                resources: $resources,
            }],
        }
    };
}

/// Every built-in group in discovery order (core first).
pub(crate) const GROUPS: &[BuiltinGroup] = &[
    single!("", CORE_V1),
    single!("apiregistration.k8s.io", APIREGISTRATION_V1),
    single!("apps", APPS_V1),
    single!("events.k8s.io", EVENTS_V1),
    single!("authentication.k8s.io", AUTHENTICATION_V1),
    single!("authorization.k8s.io", AUTHORIZATION_V1),
    BuiltinGroup {
        name: "autoscaling",
        versions: &[
            BuiltinVersion {
                version: "v2",
                resources: AUTOSCALING,
            },
            BuiltinVersion {
                version: "v1",
                resources: AUTOSCALING,
            },
        ],
    },
    single!("batch", BATCH_V1),
    single!("certificates.k8s.io", CERTIFICATES_V1),
    single!("networking.k8s.io", NETWORKING_V1),
    single!("policy", POLICY_V1),
    single!("rbac.authorization.k8s.io", RBAC_V1),
    single!("storage.k8s.io", STORAGE_V1),
    single!("admissionregistration.k8s.io", ADMISSIONREGISTRATION_V1),
    single!("apiextensions.k8s.io", APIEXTENSIONS_V1),
    single!("scheduling.k8s.io", SCHEDULING_V1),
    single!("coordination.k8s.io", COORDINATION_V1),
    single!("node.k8s.io", NODE_V1),
    single!("discovery.k8s.io", DISCOVERY_V1),
    single!("flowcontrol.apiserver.k8s.io", FLOWCONTROL_V1),
    single!("resource.k8s.io", RESOURCE_V1),
];
