package nonet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	// The GUI is linked in so that the init functions of everything
	// tenken.exe carries (Fyne, its drivers, excelize ...) run in this
	// process too, where they are watched.
	_ "tenken/app"
	"tenken/internal/cli"
	"tenken/internal/workspace"
)

// Started with this variable set, the test binary is the tenken command
// line (cli.Main, what main.go runs for a subcommand).
const cliEnv = "TENKEN_NONET_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// attempts records every way out that was tried.
type attempts struct {
	mu   sync.Mutex
	list []string
}

func (a *attempts) add(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.list = append(a.list, s)
}

var errNoNetwork = errors.New("network access attempted in a test that forbids it")

type failingTransport struct{ a *attempts }

func (f failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.a.add("http " + r.Method + " " + r.URL.String())
	return nil, errNoNetwork
}

// TestDemoDialsNothing runs the whole demo — the sample town generated,
// its masters and logs imported, inspected, the report written — in this
// process with the HTTP transport and the resolver replaced by ones that
// record every use and fail, and asserts that nothing used them.
func TestDemoDialsNothing(t *testing.T) {
	var a attempts
	oldTransport, oldClient := http.DefaultTransport, http.DefaultClient.Transport
	oldResolver := net.DefaultResolver
	t.Cleanup(func() {
		http.DefaultTransport, http.DefaultClient.Transport = oldTransport, oldClient
		net.DefaultResolver = oldResolver
	})
	http.DefaultTransport = failingTransport{&a}
	http.DefaultClient.Transport = failingTransport{&a}
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		a.add("dns " + network + " " + address)
		return nil, errNoNetwork
	}}
	sockets := openSockets(t)

	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ws")
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	res, err := ws.LoadSample(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := ws.Inspect(ctx, res.From, res.To, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Findings == 0 {
		t.Fatal("the demo found nothing: it did not run through")
	}
	out := filepath.Join(dir, "report.pdf")
	if err := ws.WriteReport(ctx, out, nil); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Fatalf("no report: %v", err)
	}
	if len(a.list) > 0 {
		t.Errorf("the demo tried to reach the network %d times: %v", len(a.list), a.list)
	}
	if after := openSockets(t); len(after) > len(sockets) {
		t.Errorf("the demo left sockets open: before %v, after %v", sockets, after)
	}
}

// openSockets lists the sockets this process holds (Linux only).
func openSockets(t *testing.T) []string {
	if runtime.GOOS != "linux" {
		return nil
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, fd := range fds {
		if l, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.HasPrefix(l, "socket:") {
			s = append(s, l)
		}
	}
	return s
}

// netPackages are the standard packages that reach the network.
var netPackages = map[string]bool{
	"net": true, "net/http": true, "crypto/tls": true, "net/rpc": true, "net/smtp": true,
	"net/http/httputil": true, "net/http/cookiejar": true, "net/mail": false,
}

// expectedImporters are the packages outside the standard library, in what
// tenken.exe and bin/tenken link, that import a network package, and why
// each is harmless. A new one fails the test until someone has looked at
// what it does with the network and added it here.
var expectedImporters = map[string]string{
	// fyne.LoadResourceFromURLString and the http:// URI repository; Tenken
	// loads only embedded resources and local files.
	"fyne.io/fyne/v2":                     "net/http",
	"fyne.io/fyne/v2/internal/repository": "net/http",
	// D-Bus over its local Unix socket (desktop notifications on Linux).
	"github.com/godbus/dbus/v5": "net",
	// http.DetectContentType for pictures inside a workbook.
	"github.com/xuri/excelize/v2": "net/http",
	// The MAC address for version 1 UUIDs (net.Interfaces, no traffic).
	"github.com/google/uuid": "net",
	// Types shared with the Windows socket API.
	"golang.org/x/sys/windows": "net",
}

// TestNetworkImporters lists, for the Linux and the Windows build, every
// package that imports a network package. No package of Tenken may, and
// the third-party ones must be the known set.
func TestNetworkImporters(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, goos := range []string{"linux", "windows"} {
		t.Run(goos, func(t *testing.T) {
			cmd := exec.Command(goBin, "list", "-deps", "-f", "{{.ImportPath}}|{{.Standard}}|{{join .Imports \" \"}}", ".")
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, stderr.String())
			}
			found := map[string]string{}
			tenken := 0
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				parts := strings.SplitN(line, "|", 3)
				if len(parts) != 3 {
					t.Fatalf("go list line %q", line)
				}
				pkg, std, imports := parts[0], parts[1] == "true", strings.Fields(parts[2])
				if std || strings.HasPrefix(pkg, "vendor/") {
					continue
				}
				if pkg == "tenken" || strings.HasPrefix(pkg, "tenken/") {
					tenken++
				}
				var nets []string
				for _, imp := range imports {
					if netPackages[imp] {
						nets = append(nets, imp)
					}
				}
				if len(nets) > 0 {
					sort.Strings(nets)
					found[pkg] = strings.Join(nets, ",")
				}
			}
			if tenken < 10 {
				t.Fatalf("go list saw %d packages of tenken: not the whole program", tenken)
			}
			tenkenPkg := regexp.MustCompile(`^tenken(/|$)`)
			for pkg, nets := range found {
				if tenkenPkg.MatchString(pkg) {
					t.Errorf("%s imports %s: Tenken must not reach the network", pkg, nets)
					continue
				}
				if want, ok := expectedImporters[pkg]; !ok || want != nets {
					t.Errorf("%s imports %s, not in the reviewed list (%q): check what it does with the network, then add it", pkg, nets, want)
				}
			}
			t.Logf("%s: %d third-party packages import a network package: %v", goos, len(found), keys(found))
		})
	}
}

func keys(m map[string]string) []string {
	var k []string
	for p, v := range m {
		k = append(k, fmt.Sprintf("%s(%s)", p, v))
	}
	sort.Strings(k)
	return k
}

// TestDemoWithoutNetwork runs `tenken demo` in a new network namespace,
// where no interface exists but loopback (down), and under strace where it
// is installed, recording the network system calls of the process and all
// its threads: the demo must succeed and connect to nothing.
func TestDemoWithoutNetwork(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("network namespaces and strace are Linux")
	}
	if testing.Short() {
		t.Skip("runs the whole demo in a child process")
	}
	dir := t.TempDir()
	args := []string{os.Args[0], "demo", "--workspace", filepath.Join(dir, "ws"), "--out", filepath.Join(dir, "report.pdf")}
	var prefix []string
	if exec.Command("unshare", "-rn", "true").Run() == nil {
		prefix = []string{"unshare", "-rn"}
	}
	trace := filepath.Join(dir, "strace.txt")
	strace, err := exec.LookPath("strace")
	if err == nil {
		prefix = append(prefix, strace, "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg,bind", "-o", trace)
	}
	if len(prefix) == 0 {
		t.Skip("neither unshare -rn nor strace is available here")
	}
	cmd := exec.Command(prefix[0], append(prefix[1:], args...)...)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(prefix, " "), err, out)
	}
	if !bytes.Contains(out, []byte("報告書を書き出しました")) {
		t.Fatalf("demo did not write its report:\n%s", out)
	}
	if strace == "" {
		t.Logf("ran in a network namespace of its own (strace not installed)")
		return
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	traced := 0
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.Contains(l, " --- ") {
			continue // signals, not calls
		}
		traced++
		if strings.Contains(l, "AF_INET") || strings.Contains(l, "AF_INET6") || strings.Contains(l, "AF_NETLINK") {
			calls = append(calls, l)
		}
	}
	if len(calls) > 0 {
		t.Errorf("the demo made %d network system calls:\n%s", len(calls), strings.Join(calls, "\n"))
	}
	// What remains are local Unix sockets (the C library asking nscd for
	// the user's name).
	t.Logf("%s: demo ran; %d socket calls traced, none of AF_INET, AF_INET6 or AF_NETLINK", strings.Join(prefix, " "), traced)
}
