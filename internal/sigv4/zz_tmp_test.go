package sigv4

import (
	"runtime"
	"slices"
	"testing"
)

func cpuPerOp(f func()) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var res []float64
	const n = 20000
	for range 25 {
		t0 := threadCPU()
		for range n {
			f()
		}
		res = append(res, float64(threadCPU()-t0)/n)
	}
	slices.Sort(res)
	return res[0]
}

func TestZZParts(t *testing.T) {
	body := []byte("Action=GetUser&Version=2010-05-08")
	r := signedPost(t, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", "iam", body)
	v := testVerifier(benchTime)
	h := r.Header["Authorization"][0]
	var rq request
	var res Result
	v.parseHeaderForm(r, h, &rq, &res)
	payloadHash(r, body, &rq)
	s := newScratch()
	rq.method, rq.rawPath = "POST", "/"
	sk := newSigningKey(deriveKey("x", "20260301", "us-east-1", "iam"))
	v.cache.get(rq.accessKeyID, "secret", rq.scopeDate, rq.region, rq.service)
	v.headers.add(rq.signedHeaders)
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"parseAuthz", func() { parseAuthorization(h) }},
		{"parseHeaderForm", func() {
			var rq request
			var res Result
			v.parseHeaderForm(r, h, &rq, &res)
		}},
		{"payloadHash", func() { payloadHash(r, body, &rq) }},
		{"buildCanonical", func() { buildCanonical(r, &rq, s, true) }},
		{"signature", func() { signature(&rq, s, sk) }},
		{"mac", func() { sk.mac(s, s.sts) }},
		{"keycache", func() { v.cache.get(rq.accessKeyID, "secret", rq.scopeDate, rq.region, rq.service) }},
		{"headers", func() { v.headers.lookup(rq.signedHeaders) }},
		{"check", func() { v.check(r, &rq, s, sk) }},
		{"pool", func() { v.putScratch(v.getScratch()) }},
	} {
		t.Logf("%-16s %6.0f", c.name, cpuPerOp(c.f))
	}
}
