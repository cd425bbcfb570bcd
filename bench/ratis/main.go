// Command db20bench is scripts/bench-ratis.sh's Go side: etcd itself (pinned by go.mod), a
// clientv3 load client that mirrors `db20 client load`, and a write+fdatasync probe.
//
//	db20bench etcd ETCD-FLAGS...     runs etcd's own main (etcdmain.Main), flags as etcd's
//	db20bench load FLAGS             the SPEC §6 stream against etcd, one line of results
//	                                 (--cacert/--cert/--key: mutual TLS, for https endpoints)
//	db20bench fsync --dir D          4 KiB write + fdatasync loop in D; p50/p99 of one sync
//	db20bench ports N                N free loopback TCP ports, space-separated
//	db20bench ready --endpoints E    waits (at most 60 s) until the cluster answers a read
//	                                 (the same TLS flags as load)
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"db20/core"
	"db20/workload"

	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/etcdmain"
	"go.uber.org/zap"
)

const exitBadInput = 2

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "etcd":
		etcdmain.Main(append([]string{"etcd"}, os.Args[2:]...))
	case "load":
		os.Exit(load(os.Args[2:]))
	case "fsync":
		os.Exit(fsyncProbe(os.Args[2:]))
	case "ports":
		os.Exit(ports(os.Args[2:]))
	case "ready":
		os.Exit(ready(os.Args[2:]))
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: db20bench etcd FLAGS... | load FLAGS | fsync --dir DIR | ports N | ready --endpoints E")
	os.Exit(exitBadInput)
}

func bad(format string, a ...any) int {
	fmt.Fprintf(os.Stderr, "db20bench: "+format+"\n", a...)
	return exitBadInput
}

// stream is the shared SPEC §6 op stream, as `db20 client load` shares one stream among its
// logical clients.
type stream struct {
	mu sync.Mutex
	w  *workload.Workload
}

func (s *stream) next() core.Op {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.NextOp()
}

// phase runs every worker until the deadline; each worker issues one op at a time. It returns
// the latencies of the ops that completed and the time of the last reply.
func phase(ctx context.Context, kvs []*clientv3.Client, window int, s *stream,
	deadline time.Time) ([]time.Duration, time.Time, error) {
	var mu sync.Mutex
	var all []time.Duration
	var last time.Time
	var firstErr error
	var wg sync.WaitGroup
	for _, kv := range kvs {
		for range window {
			wg.Add(1)
			go func() {
				defer wg.Done()
				lat := make([]time.Duration, 0, 4096)
				var end time.Time
				var err error
				for time.Now().Before(deadline) {
					op := s.next()
					t0 := time.Now()
					if op.Kind() == core.Del {
						_, err = kv.Delete(ctx, op.Key())
					} else {
						_, err = kv.Put(ctx, op.Key(), string(op.Value()))
					}
					end = time.Now()
					if err != nil {
						break
					}
					lat = append(lat, end.Sub(t0))
				}
				mu.Lock()
				defer mu.Unlock()
				all = append(all, lat...)
				if end.After(last) {
					last = end
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
			}()
		}
	}
	wg.Wait()
	return all, last, firstErr
}

// tlsFlags are the client's certificate, its key and the CA it checks the members with; all
// three or none (plain HTTP).
type tlsFlags struct{ cacert, cert, key *string }

func addTLSFlags(fs *flag.FlagSet) tlsFlags {
	return tlsFlags{
		cacert: fs.String("cacert", "", "PEM CA that signed the members' certificates"),
		cert:   fs.String("cert", "", "PEM client certificate (mutual TLS)"),
		key:    fs.String("key", "", "PEM private key of --cert"),
	}
}

// config is the client's TLS configuration (etcd's own transport.TLSInfo, as etcdctl builds
// it), or nil without TLS.
func (t tlsFlags) config() (*tls.Config, error) {
	if *t.cacert == "" && *t.cert == "" && *t.key == "" {
		return nil, nil
	}
	if *t.cacert == "" || *t.cert == "" || *t.key == "" {
		return nil, errors.New("--cacert, --cert and --key go together")
	}
	return transport.TLSInfo{CertFile: *t.cert, KeyFile: *t.key, TrustedCAFile: *t.cacert}.ClientConfig()
}

func load(args []string) int {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	endpoints := fs.String("endpoints", "", "comma-separated client URLs of every member")
	tlsf := addTLSFlags(fs)
	clients := fs.Int("clients", 1, "logical clients, each with its own connection")
	window := fs.Int("window", 1, "writes each client keeps in flight")
	seconds := fs.Float64("seconds", 10, "measured duration")
	warmup := fs.Float64("warmup", 2, "seconds of load before the clock starts")
	seed := fs.Uint64("seed", 1, "workload seed")
	keys := fs.Uint64("keys", workload.DefaultKeySpace, "key space K")
	if err := fs.Parse(args); err != nil {
		return exitBadInput
	}
	if *endpoints == "" || *clients < 1 || *clients > 1024 || *window < 1 || *window > 4096 ||
		*seconds <= 0 || *warmup < 0 || *keys < 1 {
		return bad("load: --endpoints required; --clients 1..1024, --window 1..4096, " +
			"--seconds > 0, --warmup >= 0, --keys >= 1")
	}
	tc, err := tlsf.config()
	if err != nil {
		return bad("load: %v", err)
	}
	var kvs []*clientv3.Client
	defer func() {
		for _, c := range kvs {
			c.Close()
		}
	}()
	for range *clients {
		c, err := clientv3.New(clientv3.Config{
			Endpoints:   strings.Split(*endpoints, ","),
			DialTimeout: 10 * time.Second,
			TLS:         tc,
			Logger:      zap.NewNop(),
		})
		if err != nil {
			fmt.Fprintf(os.Stderr, "db20bench: load: %v\n", err)
			return 1
		}
		kvs = append(kvs, c)
	}
	ctx := context.Background()
	s := &stream{w: workload.NewWorkload(*seed, *keys)}
	warmupOps := 0
	if *warmup > 0 {
		wl, _, err := phase(ctx, kvs, *window, s, time.Now().Add(dur(*warmup)))
		if err != nil {
			fmt.Fprintf(os.Stderr, "db20bench: load: warm-up: %v\n", err)
			return 1
		}
		warmupOps = len(wl)
	}
	cpu0 := cpuTime()
	fmt.Fprintln(os.Stderr, "load: measuring")
	start := time.Now()
	lat, last, err := phase(ctx, kvs, *window, s, start.Add(dur(*seconds)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "db20bench: load: stopped after %d ops: %v\n", len(lat), err)
		return 1
	}
	if len(lat) == 0 {
		fmt.Fprintln(os.Stderr, "db20bench: load: no op completed")
		return 1
	}
	slices.Sort(lat)
	secs := last.Sub(start).Seconds()
	n := len(lat)
	fmt.Printf("load ops=%d clients=%d window=%d seconds=%.3f ops/s=%.0f p50=%.2fms p99=%.2fms"+
		" warmup-ops=%d cpu=%.0fms\n", n, *clients, *window, secs, float64(n)/secs, ms(lat[n/2]),
		ms(lat[min(n-1, n*99/100)]), warmupOps, ms(cpuTime()-cpu0))
	return 0
}

// cpuTime is this process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func dur(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fsyncProbe(args []string) int {
	fs := flag.NewFlagSet("fsync", flag.ContinueOnError)
	dir := fs.String("dir", "", "directory on the disk to probe")
	count := fs.Int("count", 500, "write+fdatasync rounds")
	if err := fs.Parse(args); err != nil {
		return exitBadInput
	}
	if *dir == "" || *count < 1 {
		return bad("fsync: --dir required, --count >= 1")
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		return bad("fsync: not a directory: %q", *dir)
	}
	path := filepath.Join(*dir, "db20bench-fsync-probe")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return bad("fsync: %v", err)
	}
	defer os.Remove(path)
	defer f.Close()
	buf := make([]byte, 4096)
	lat := make([]time.Duration, 0, *count)
	for i := range *count {
		buf[0] = byte(i)
		t0 := time.Now()
		if _, err := f.WriteAt(buf, int64(i)*4096); err != nil {
			fmt.Fprintf(os.Stderr, "db20bench: fsync: %v\n", err)
			return 1
		}
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			fmt.Fprintf(os.Stderr, "db20bench: fsync: %v\n", err)
			return 1
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	n := len(lat)
	fmt.Printf("fsync count=%d p50=%.3fms p99=%.3fms\n", n, ms(lat[n/2]), ms(lat[min(n-1, n*99/100)]))
	return 0
}

func ports(args []string) int {
	n, err := strconv.Atoi(strings.Join(args, " "))
	if err != nil || n < 1 || n > 64 {
		return bad("ports: wants one count 1..64, got %q", strings.Join(args, " "))
	}
	// All held open at once, so the N are distinct; closed just before they are used.
	var ls []net.Listener
	var out []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintf(os.Stderr, "db20bench: ports: %v\n", err)
			return 1
		}
		ls = append(ls, l)
		out = append(out, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
	}
	for _, l := range ls {
		l.Close()
	}
	fmt.Println(strings.Join(out, " "))
	return 0
}

func ready(args []string) int {
	fs := flag.NewFlagSet("ready", flag.ContinueOnError)
	endpoints := fs.String("endpoints", "", "comma-separated client URLs of every member")
	tlsf := addTLSFlags(fs)
	if err := fs.Parse(args); err != nil {
		return exitBadInput
	}
	if *endpoints == "" {
		return bad("ready: --endpoints required")
	}
	tc, err := tlsf.config()
	if err != nil {
		return bad("ready: %v", err)
	}
	c, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(*endpoints, ","),
		DialTimeout: 10 * time.Second, TLS: tc, Logger: zap.NewNop()})
	if err != nil {
		fmt.Fprintf(os.Stderr, "db20bench: ready: %v\n", err)
		return 1
	}
	defer c.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := c.Get(ctx, "k0") // linearizable: needs a leader and a quorum
		cancel()
		if err == nil {
			return 0
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "db20bench: ready: no answer within 60 s: %v\n", err)
			return 1
		}
		time.Sleep(100 * time.Millisecond)
	}
}
