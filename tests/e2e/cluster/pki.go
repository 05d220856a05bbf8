package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// runPKI writes the control plane's key material under DIR/pki and the kubeconfigs under DIR:
// a CA, the API server's serving certificate for loopback, an admin client certificate in
// system:masters, the controller manager's client certificate, and the service-account signing key.
func runPKI(args []string) int {
	fs := flag.NewFlagSet("pki", flag.ContinueOnError)
	dir := fs.String("dir", "", "state directory")
	server := fs.String("server", "", "API server URL (https://127.0.0.1:PORT)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" || *server == "" {
		fmt.Fprintln(os.Stderr, "pki: --dir and --server are required")
		return 2
	}
	if err := writePKI(*dir, *server); err != nil {
		fmt.Fprintf(os.Stderr, "pki: %v\n", err)
		return 1
	}
	return 0
}

type keyPair struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func writePKI(dir, server string) error {
	pki := filepath.Join(dir, "pki")
	if err := os.MkdirAll(pki, 0o700); err != nil {
		return err
	}
	now := time.Now()
	ca, err := issue(nil, &x509.Certificate{
		Subject:               pkix.Name{CommonName: "kubeaudit-e2e-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	})
	if err != nil {
		return err
	}
	leaf := func(cn string, orgs []string, usage x509.ExtKeyUsage, ips []net.IP, dns []string) (*keyPair, error) {
		return issue(ca, &x509.Certificate{
			Subject:     pkix.Name{CommonName: cn, Organization: orgs},
			NotBefore:   now.Add(-time.Hour),
			NotAfter:    now.Add(9 * 24 * time.Hour),
			KeyUsage:    x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: ips,
			DNSNames:    dns,
		})
	}
	serving, err := leaf("kube-apiserver", nil, x509.ExtKeyUsageServerAuth,
		[]net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP("10.0.0.1")},
		[]string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"})
	if err != nil {
		return err
	}
	admin, err := leaf("kubeaudit-e2e-admin", []string{"system:masters"}, x509.ExtKeyUsageClientAuth, nil, nil)
	if err != nil {
		return err
	}
	kcm, err := leaf("system:kube-controller-manager", nil, x509.ExtKeyUsageClientAuth, nil, nil)
	if err != nil {
		return err
	}
	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}

	for name, kp := range map[string]*keyPair{"ca": ca, "apiserver": serving, "admin": admin, "controller-manager": kcm} {
		if err := writePair(pki, name, kp); err != nil {
			return err
		}
	}
	if err := writeKey(filepath.Join(pki, "sa.key"), saKey); err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(saKey.Public())
	if err != nil {
		return err
	}
	if err := writePEM(filepath.Join(pki, "sa.pub"), "PUBLIC KEY", pub, 0o644); err != nil {
		return err
	}

	for file, user := range map[string]string{"kubeconfig": "admin", "controller-manager.kubeconfig": "controller-manager"} {
		if err := writeKubeconfig(filepath.Join(dir, file), server, pki, user); err != nil {
			return err
		}
	}
	return nil
}

// issue creates a key and a certificate for template, signed by parent (self-signed when nil).
func issue(parent *keyPair, template *x509.Certificate) (*keyPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	template.SerialNumber = serial
	signerCert, signerKey := template, crypto.Signer(key)
	if parent != nil {
		signerCert, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, template, signerCert, key.Public(), signerKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &keyPair{cert: cert, key: key}, nil
}

func writePair(dir, name string, kp *keyPair) error {
	if err := writePEM(filepath.Join(dir, name+".crt"), "CERTIFICATE", kp.cert.Raw, 0o644); err != nil {
		return err
	}
	return writeKey(filepath.Join(dir, name+".key"), kp.key)
}

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return writePEM(path, "EC PRIVATE KEY", der, 0o600)
}

func writePEM(path, kind string, der []byte, mode os.FileMode) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), mode)
}

// writeKubeconfig writes a kubeconfig whose credentials are file paths (never embedded keys).
func writeKubeconfig(path, server, pki, user string) error {
	text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: e2e-%s
  user:
    client-certificate: %s
    client-key: %s
contexts:
- name: e2e-%s
  context:
    cluster: e2e
    user: e2e-%s
current-context: e2e-%s
`, server, filepath.Join(pki, "ca.crt"), user, filepath.Join(pki, user+".crt"), filepath.Join(pki, user+".key"), user, user, user)
	return os.WriteFile(path, []byte(text), 0o600)
}

// runPorts prints N free loopback TCP ports, one a line.
func runPorts(args []string) int {
	n := 1
	if len(args) == 1 {
		if _, err := fmt.Sscanf(args[0], "%d", &n); err != nil || n < 1 || n > 16 {
			fmt.Fprintln(os.Stderr, "ports: expected a count from 1 to 16")
			return 2
		}
	}
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintf(os.Stderr, "ports: %v\n", err)
			return 1
		}
		listeners = append(listeners, l)
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
	}
	return 0
}
