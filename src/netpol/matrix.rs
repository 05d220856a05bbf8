//! netpol-matrix: pod × pod reachability for one port and protocol.

use super::error::NetpolError;
use super::filter::NamespaceFilter;
use super::model::NetworkModel;
use super::types::{Endpoint, Protocol};
use serde::Serialize;

/// A reachability grid. Rows are sources, columns destinations, both in `pods` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matrix {
    /// Destination port.
    pub port: u16,
    /// Protocol.
    pub protocol: Protocol,
    /// Pods (`namespace/name`), sorted.
    pub pods: Vec<String>,
    /// Combined verdict `[from][to]` (egress AND ingress).
    pub allowed: Vec<Vec<bool>>,
    /// Source egress side only.
    pub egress_allowed: Vec<Vec<bool>>,
    /// Destination ingress side only.
    pub ingress_allowed: Vec<Vec<bool>>,
    /// Cells whose verdict CNIs are known to decide differently (the diagonal always is).
    pub implementation_defined: Vec<Vec<bool>>,
    /// False when pods were not loaded or some cell lacked data.
    pub complete: bool,
}

impl NetworkModel {
    /// Computes the grid over the pods of the namespaces `filter` selects.
    pub fn matrix(
        &self,
        filter: &NamespaceFilter,
        port: u16,
        protocol: Protocol,
    ) -> Result<Matrix, NetpolError> {
        if port == 0 {
            return Err(NetpolError::InvalidPort(0));
        }
        let pods: Vec<Endpoint> = self
            .pods()
            .filter(|p| filter.matches(&p.namespace))
            .map(|p| Endpoint::Pod {
                namespace: p.namespace.clone(),
                name: p.name.clone(),
            })
            .collect();
        let n = pods.len();
        let mut m = Matrix {
            port,
            protocol,
            pods: pods.iter().map(ToString::to_string).collect(),
            allowed: vec![vec![false; n]; n],
            egress_allowed: vec![vec![false; n]; n],
            ingress_allowed: vec![vec![false; n]; n],
            implementation_defined: vec![vec![false; n]; n],
            complete: self.pods_loaded(),
        };
        for (i, from) in pods.iter().enumerate() {
            for (j, to) in pods.iter().enumerate() {
                let r = self.can_reach(from, to, port, protocol)?;
                m.allowed[i][j] = r.allowed;
                m.egress_allowed[i][j] = r.egress.allowed;
                m.ingress_allowed[i][j] = r.ingress.allowed;
                m.implementation_defined[i][j] = r.implementation_defined;
                m.complete &= r.complete;
            }
        }
        Ok(m)
    }
}
