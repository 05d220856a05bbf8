//! kubeaudit: who can do what in a Kubernetes cluster, and why.
