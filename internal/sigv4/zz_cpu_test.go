package sigv4

import (
	"context"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"unsafe"
)

func threadCPU() int64 {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano()
}

func TestZZCPU(t *testing.T) {
	body := []byte("Action=GetUser&Version=2010-05-08")
	r := signedPost(t, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", "iam", body)
	owner := new(int)
	v := New(Config{
		Keys: func(_ context.Context, akid, _ string) (Key, error) {
			return Key{Secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Owner: owner}, nil
		},
		Now:      fixedNow(benchTime.Add(1e9 * 60)),
		Services: []string{"iam", "sts"},
	})
	ctx := context.Background()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var res []float64
	const n = 100000
	for range 15 {
		t0 := threadCPU()
		for range n {
			if _, err := v.Verify(ctx, r, body); err != nil {
				t.Fatal(err)
			}
		}
		res = append(res, float64(threadCPU()-t0)/n)
	}
	slices.Sort(res)
	t.Logf("cpu ns/op: min %.0f  p25 %.0f  median %.0f", res[0], res[len(res)/4], res[len(res)/2])
}
