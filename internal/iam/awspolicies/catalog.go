package awspolicies

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/warden-iam/warden/policy"
)

// ARNPrefix starts the ARN of every AWS managed policy.
const ARNPrefix = "arn:aws:iam::aws:policy/"

// Account is the account part of an AWS managed policy's ARN.
const Account = "aws"

// ServiceLinkedPath is the path of the service-linked role policies.
const ServiceLinkedPath = "/aws-service-role/"

//go:embed policies
var files embed.FS

// Policy is one AWS managed policy with its default version.
type Policy struct {
	Name string `json:"name"`
	// Path is the policy's path: "/" or e.g. "/job-function/".
	Path string `json:"path"`
	// ID is the policy id AWS gives it (ANPA...).
	ID             string    `json:"id"`
	DefaultVersion string    `json:"defaultVersion"`
	CreateDate     time.Time `json:"createDate"`
	// UpdateDate is when the default version was created.
	UpdateDate  time.Time `json:"updateDate"`
	Description string    `json:"description"`
	// Document is the default version's document, compact JSON.
	Document string `json:"-"`

	compiled *policy.Policy
}

// ARN returns the policy's ARN.
func (p Policy) ARN() string { return ARNPrefix + strings.TrimPrefix(p.Path, "/") + p.Name }

// Compiled returns the default version, compiled as an identity policy
// whose ID is the policy's ARN.
func (p Policy) Compiled() *policy.Policy { return p.compiled }

// ServiceLinked reports whether the policy is a service-linked role
// policy, which AWS attaches only to its service's service-linked role.
func (p Policy) ServiceLinked() bool { return p.Path == ServiceLinkedPath }

// IsAWSManaged reports whether arn is in the namespace of AWS managed
// policies (whether or not the catalog has it).
func IsAWSManaged(arn string) bool { return strings.HasPrefix(arn, ARNPrefix) }

type catalog struct {
	all   []Policy // by lower-cased name, then ARN
	byARN map[string]int
}

// load reads and compiles the embedded files. A file that does not load
// is a defect of the build, caught by the package's tests.
var load = sync.OnceValues(func() (*catalog, error) {
	c := &catalog{byARN: map[string]int{}}
	err := fs.WalkDir(files, "policies", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		p, err := parseFile(name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		c.all = append(c.all, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(c.all, func(a, b Policy) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ARN(), b.ARN())
	})
	for i, p := range c.all {
		if _, dup := c.byARN[p.ARN()]; dup {
			return nil, fmt.Errorf("policy %s is listed twice", p.ARN())
		}
		c.byARN[p.ARN()] = i
	}
	return c, nil
})

func parseFile(name string) (Policy, error) {
	raw, err := files.ReadFile(name)
	if err != nil {
		return Policy{}, err
	}
	var f struct {
		Policy
		Document json.RawMessage `json:"document"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Policy{}, err
	}
	var doc bytes.Buffer
	if err := json.Compact(&doc, f.Document); err != nil {
		return Policy{}, fmt.Errorf("document: %w", err)
	}
	p := f.Policy
	p.Document = doc.String()
	if p.compiled, err = policy.ParseAWSManaged(p.Document); err != nil {
		return Policy{}, fmt.Errorf("document: %w", err)
	}
	p.compiled.ID = p.ARN()
	return p, nil
}

func mustLoad() *catalog {
	c, err := load()
	if err != nil {
		panic("awspolicies: " + err.Error())
	}
	return c
}

// All returns every policy of the catalog, by lower-cased name.
func All() []Policy { return slices.Clone(mustLoad().all) }

// Get returns the policy arn names. ARNs match exactly: AWS managed
// policies are named by the ARNs AWS publishes.
func Get(arn string) (Policy, bool) {
	c := mustLoad()
	i, ok := c.byARN[arn]
	if !ok {
		return Policy{}, false
	}
	return c.all[i], true
}

// Compiled returns the compiled default version of the policy arn names,
// or nil.
func Compiled(arn string) *policy.Policy {
	if !IsAWSManaged(arn) {
		return nil
	}
	p, ok := Get(arn)
	if !ok {
		return nil
	}
	return p.compiled
}
