package sigv4

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
)

// frontSize is the number of slots of the lock-free front of each cache. A
// slot holds one recent entry; a miss falls through to the locked map.
const frontSize = 64

// cacheKey identifies a derived signing key. The secret is part of the
// identity, so a rotated or changed secret never meets a stale key.
type cacheKey struct {
	accessKeyID, secret, date, region, service string
}

// keyEntry is one cached signing key with its full identity, so that a
// front slot can be checked without the map.
type keyEntry struct {
	k  cacheKey
	sk *signingKey
}

// keyCache holds derived signing keys. It is bounded: when full it is
// cleared, which costs one re-derivation per active key. In front of the
// map sits a small array of recently used entries indexed by a hash of the
// access key id, read without locking; each entry carries its whole
// identity, so a slot only ever answers for exactly the key it holds.
type keyCache struct {
	seed  maphash.Seed
	front [frontSize]atomic.Pointer[keyEntry]
	mu    sync.RWMutex
	m     map[cacheKey]*keyEntry
}

func (c *keyCache) get(akid, secret, date, region, service string) *signingKey {
	slot := &c.front[maphash.String(c.seed, akid)%frontSize]
	if e := slot.Load(); e != nil && e.k.accessKeyID == akid && e.k.secret == secret &&
		e.k.date == date && e.k.region == region && e.k.service == service {
		return e.sk
	}
	k := cacheKey{akid, secret, date, region, service}
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		slot.Store(e)
		return e.sk
	}
	sk := newSigningKey(deriveKey(secret, date, region, service))
	// Copy the strings: they may point into a large request header.
	e = &keyEntry{
		k:  cacheKey{strings.Clone(akid), strings.Clone(secret), strings.Clone(date), strings.Clone(region), strings.Clone(service)},
		sk: sk,
	}
	c.mu.Lock()
	if len(c.m) >= cacheSize {
		clear(c.m)
	}
	c.m[e.k] = e
	c.mu.Unlock()
	slot.Store(e)
	return sk
}

// headerEntry is one validated SignedHeaders value, split: the names as
// handed out in Result, and the canonical MIME form of each (the key it is
// looked up under in http.Header).
type headerEntry struct {
	sh   string
	list []string
	keys []string
}

// headerCache interns the split SignedHeaders lists handed out in Result,
// so that the common lists cost no allocation. Bounded like keyCache, and
// fronted the same way by a lock-free array indexed by a hash of the value.
type headerCache struct {
	seed  maphash.Seed
	front [frontSize]atomic.Pointer[headerEntry]
	mu    sync.RWMutex
	m     map[string]*headerEntry
}

// lookup returns the entry for sh if sh was validated before, else nil.
func (c *headerCache) lookup(sh string) *headerEntry {
	slot := &c.front[maphash.String(c.seed, sh)%frontSize]
	if e := slot.Load(); e != nil && e.sh == sh {
		return e
	}
	c.mu.RLock()
	e := c.m[sh]
	c.mu.RUnlock()
	if e != nil {
		slot.Store(e)
	}
	return e
}

// add stores a validated SignedHeaders value and returns its split list.
func (c *headerCache) add(sh string) []string {
	sh = strings.Clone(sh)
	l := strings.Split(sh, ";")
	e := &headerEntry{sh: sh, list: l[:len(l):len(l)], keys: make([]string, len(l))}
	for i, name := range l {
		e.keys[i] = canonicalKey(name)
	}
	c.mu.Lock()
	if len(c.m) >= signedHeadersSize {
		clear(c.m)
	}
	c.m[sh] = e
	c.mu.Unlock()
	c.front[maphash.String(c.seed, sh)%frontSize].Store(e)
	return e.list
}
