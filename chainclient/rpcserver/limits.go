package rpcserver

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"

	"github.com/btui/btui/chainclient"
)

// LimitListener returns a listener that keeps at most n accepted connections open: Accept
// waits (leaving further connections in the kernel's backlog) until one of them is closed.
// Serve wraps its listener with it (Options.MaxConns).
func LimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, sem: make(chan struct{}, n), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	closeOnce sync.Once
	done      chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// admission bounds the API calls served at once and the request bytes they hold.
type admission struct {
	mu       sync.Mutex
	requests int
	bytes    int64
}

// admit reserves one call slot and n body bytes. A call is always admitted when nothing else
// holds bytes, so one body of the largest allowed size always fits. The release func undoes it.
func (s *Server) admit(n int64) (release func(), refusal string) {
	a := &s.adm
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.requests >= s.opts.MaxConcurrent {
		return nil, fmt.Sprintf("the node is serving its limit of %d calls at once", s.opts.MaxConcurrent)
	}
	if a.bytes > 0 && a.bytes+n > s.opts.MaxInflightBytes {
		return nil, fmt.Sprintf("the node holds %d bytes of requests and this one brings %d more (limit %d)", a.bytes, n, s.opts.MaxInflightBytes)
	}
	a.requests++
	a.bytes += n
	var once sync.Once
	return func() {
		once.Do(func() {
			a.mu.Lock()
			a.requests--
			a.bytes -= n
			a.mu.Unlock()
		})
	}, ""
}

// busy answers 503 with Retry-After: nothing of the request was done, so it may be repeated.
func busy(w http.ResponseWriter, why string, retryAfter int) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	refuse(w, http.StatusServiceUnavailable, chainclient.KindBusy, why+"; nothing was done: retry after "+strconv.Itoa(retryAfter)+" s")
}
