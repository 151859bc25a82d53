package chainclient_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
)

// Every error a Client method can return survives the trip through the API's error body: the
// same message, and the same sentinel (or *TxError code) for errors.Is.
func TestErrorsRoundTripThroughTheAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		kind   string
		status int
		is     error
	}{
		{fmt.Errorf("block 9: %w", protocol.ErrNotFound), chainclient.KindNotFound, 404, protocol.ErrNotFound},
		{protocol.ErrClosed, chainclient.KindUnavailable, 503, protocol.ErrClosed},
		{fmt.Errorf("x: %w", chainclient.ErrUnsupported), chainclient.KindUnsupported, 501, chainclient.ErrUnsupported},
		{context.DeadlineExceeded, chainclient.KindTimeout, 504, context.DeadlineExceeded},
		{fmt.Errorf("%w: balances", protocol.ErrInvariant), chainclient.KindInvariant, 500, protocol.ErrInvariant},
		{protocol.ErrInvalidName, chainclient.KindInvalid, 400, protocol.ErrInvalidName},
		{fmt.Errorf("%w: bad", protocol.ErrInvalidGenesis), chainclient.KindInvalid, 400, protocol.ErrInvalidGenesis},
		{fmt.Errorf("%w: dir", protocol.ErrGenesisMismatch), chainclient.KindInvalid, 400, protocol.ErrGenesisMismatch},
		{chainclient.ErrNoDevKey, chainclient.KindNoDevKey, 400, chainclient.ErrNoDevKey},
		{fmt.Errorf("%w: params", chainclient.ErrBadRequest), chainclient.KindBadRequest, 400, chainclient.ErrBadRequest},
		{fmt.Errorf("events: %w: 5..1 is empty", protocol.ErrBadRange), chainclient.KindBadRequest, 400, protocol.ErrBadRange},
		{errors.New("disk on fire"), chainclient.KindError, 500, nil},
	}
	for _, tt := range tests {
		status, ae := chainclient.ErrorToAPI(tt.err)
		if status != tt.status || ae.Kind != tt.kind || ae.Message != tt.err.Error() {
			t.Errorf("%v: %d %+v, want %d %s", tt.err, status, ae, tt.status, tt.kind)
			continue
		}
		back := ae.Err(status)
		if back.Error() != tt.err.Error() || (tt.is != nil && !errors.Is(back, tt.is)) {
			t.Errorf("%v came back as %v (is %v: %v)", tt.err, back, tt.is, errors.Is(back, tt.is))
		}
	}
	rej := protocol.Fail(protocol.CodeStaleNonce, "nonce 3 already used")
	status, ae := chainclient.ErrorToAPI(fmt.Errorf("submit: %w", rej))
	back := ae.Err(status)
	if status != 422 || ae.Code != uint32(protocol.CodeStaleNonce) || ae.CodeName != "stale_nonce" || !errors.Is(back, protocol.ErrStaleNonce) {
		t.Fatalf("rejection: %d %+v -> %v", status, ae, back)
	}
	var ne *chainclient.NodeError
	if err := (chainclient.APIError{Kind: "from_the_future", Message: "m"}).Err(418); !errors.As(err, &ne) || ne.Status != 418 {
		t.Fatalf("unknown kind: %v", err)
	}
}
