package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// runWait returns once the API server is ready and the control plane has done its start-up work:
// /readyz is ok, the bootstrap ClusterRoles exist, the aggregation controller has filled in
// `admin`, and the service-account controller has created default/default.
func runWait(args []string) int {
	fs := flag.NewFlagSet("wait", flag.ContinueOnError)
	kubeconfig := fs.String("kubeconfig", "", "admin kubeconfig")
	timeout := fs.Duration("timeout", 3*time.Minute, "how long to wait")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintf(os.Stderr, "wait: %v\n", err)
		return 2
	}
	config.Timeout = 5 * time.Second
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "wait: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	last := "not started"
	for {
		last = readiness(ctx, client)
		if last == "" {
			return 0
		}
		select {
		case <-ctx.Done():
			fmt.Fprintf(os.Stderr, "wait: control plane not ready after %s: %s\n", *timeout, last)
			return 1
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// readiness says what is not ready yet, or "" when everything is.
func readiness(ctx context.Context, client *kubernetes.Clientset) string {
	body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
	if err != nil {
		return fmt.Sprintf("/readyz: %v %s", err, body)
	}
	for _, name := range []string{"cluster-admin", "admin", "edit", "view", "system:node", "system:aggregate-to-edit"} {
		role, err := client.RbacV1().ClusterRoles().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return fmt.Sprintf("ClusterRole %s: %v", name, err)
		}
		if name == "admin" && len(role.Rules) == 0 {
			return "ClusterRole admin not aggregated yet"
		}
	}
	if _, err := client.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{}); err != nil {
		return fmt.Sprintf("ServiceAccount default/default: %v", err)
	}
	return ""
}
