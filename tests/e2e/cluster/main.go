// Command control-plane is the test control plane of kubeaudit's e2e suite: one binary that runs
// etcd (embedded), kube-apiserver or kube-controller-manager, built from the Kubernetes Go modules at
// the release pinned in go.mod. It is never shipped; tests/e2e/control-plane starts it on loopback.
//
//	control-plane etcd --data-dir DIR --listen-client-url URL --listen-peer-url URL
//	control-plane kube-apiserver [kube-apiserver flags]
//	control-plane kube-controller-manager [kube-controller-manager flags]
//	control-plane pki --dir DIR --server URL   (CA, certificates, keys, kubeconfigs)
//	control-plane ports N                     (N free loopback ports)
//	control-plane wait --kubeconfig F         (ready, bootstrap roles aggregated)
//	kubectl [kubectl flags]                   (through a link named kubectl)
//	control-plane version
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	"k8s.io/component-base/version"
	kubectl "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	// Run as `kubectl` (a link of that name): the kubectl of the same release, for the tests.
	if filepath.Base(os.Args[0]) == "kubectl" {
		logs.GlogSetter(kubectl.GetLogVerbosity(os.Args)) // nolint:errcheck
		if err := cli.RunNoErrOutput(kubectl.NewDefaultKubectlCommand()); err != nil {
			kubectlutil.CheckErr(err)
		}
		return
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: control-plane etcd|kube-apiserver|kube-controller-manager|pki|ports|wait|version [flags]")
		os.Exit(2)
	}
	component, args := os.Args[1], os.Args[2:]
	// The upstream commands read os.Args through cobra; hand them their own flags only.
	os.Args = append([]string{component}, args...)
	switch component {
	case "etcd":
		os.Exit(runEtcd(args))
	case "kube-apiserver":
		os.Exit(cli.Run(apiserver.NewAPIServerCommand()))
	case "kube-controller-manager":
		os.Exit(cli.Run(controllermanager.NewControllerManagerCommand()))
	case "pki":
		os.Exit(runPKI(args))
	case "ports":
		os.Exit(runPorts(args))
	case "wait":
		os.Exit(runWait(args))
	case "version":
		fmt.Println(version.Get().GitVersion)
	default:
		fmt.Fprintf(os.Stderr, "control-plane: unknown component %q\n", component)
		os.Exit(2)
	}
}

// runEtcd runs a single-member etcd on the given loopback URLs until SIGTERM or SIGINT.
func runEtcd(args []string) int {
	fs := flag.NewFlagSet("etcd", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "etcd data directory")
	clientURL := fs.String("listen-client-url", "http://127.0.0.1:2379", "client URL")
	peerURL := fs.String("listen-peer-url", "http://127.0.0.1:2380", "peer URL")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "etcd: --data-dir is required")
		return 2
	}
	client, err := url.Parse(*clientURL)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcd: --listen-client-url: %v\n", err)
		return 2
	}
	peer, err := url.Parse(*peerURL)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcd: --listen-peer-url: %v\n", err)
		return 2
	}

	cfg := embed.NewConfig()
	cfg.Name = "e2e"
	cfg.Dir = *dataDir
	cfg.ListenClientUrls = []url.URL{*client}
	cfg.AdvertiseClientUrls = []url.URL{*client}
	cfg.ListenPeerUrls = []url.URL{*peer}
	cfg.AdvertisePeerUrls = []url.URL{*peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	// A throwaway test store: no fsync latency, and a quota large enough for the benchmark cluster.
	cfg.UnsafeNoFsync = true
	cfg.QuotaBackendBytes = 8 << 30

	etcd, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcd: %v\n", err)
		return 1
	}
	defer etcd.Close()
	select {
	case <-etcd.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		fmt.Fprintln(os.Stderr, "etcd: not ready after 60s")
		return 1
	}
	fmt.Fprintln(os.Stderr, "etcd: ready on", client.String())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-stop:
		return 0
	case err := <-etcd.Err():
		fmt.Fprintf(os.Stderr, "etcd: %v\n", err)
		return 1
	}
}
