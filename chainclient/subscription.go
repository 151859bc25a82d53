package chainclient

import (
	"fmt"
	"sync"

	"github.com/btui/btui/protocol"
)

// Subscription is a stream of new heads. Heads arrive on C in increasing height order, each
// exactly once. A consumer that falls behind never slows block production: the subscription
// reads the heads it missed back from storage (up to MaxBackfill at a time; beyond that the
// skipped count is in HeadEvent.Missed). If the chain is rewound (devnet restore or reset), the
// stream continues from the new head. C is closed when the subscription ends; Err then says
// why (nil after Cancel or the context's end).
type Subscription struct {
	// C delivers the heads.
	C <-chan protocol.HeadEvent

	cancel func()
	mu     sync.Mutex
	err    error
	warn   error
	first  error // the first warning not yet taken, and how many came after it
	more   int
	done   chan struct{}
}

func newSubscription(c <-chan protocol.HeadEvent, cancel func()) *Subscription {
	return &Subscription{C: c, cancel: cancel, done: make(chan struct{})}
}

// Cancel ends the subscription; C is closed soon after. It is safe to call more than once and
// from any goroutine.
func (s *Subscription) Cancel() { s.cancel() }

// Done is closed when the subscription has ended (after C is closed).
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Err returns why the subscription ended: nil while it runs and after Cancel or the end of its
// context, otherwise the failure (protocol.ErrClosed when the chain closed, a transport error
// for a remote stream that could not be resumed).
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// finish records the reason and marks the subscription done; call it once, after closing C.
func (s *Subscription) finish(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	close(s.done)
}

// TakeWarning returns, once, what the subscription could not read without ending: on a
// subtensor node, a block whose body or events the node would not give (a pruned state, or a
// replay that never recorded it). That head is delivered with its header only (no events, zero
// counts). nil when there is nothing new. Several warnings since the last call are one: the
// first, how many more, and the last.
func (s *Subscription) TakeWarning() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.warn
	s.warn, s.first, s.more = nil, nil, 0
	return w
}

func (s *Subscription) warnf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := fmt.Errorf(format, args...)
	if s.first == nil {
		s.first, s.warn = w, w
		return
	}
	s.more++
	s.warn = fmt.Errorf("%w; and %d more since, the last: %v", s.first, s.more, w)
}
