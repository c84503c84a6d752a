package policy

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/warden-iam/warden/arn"
)

// Size limits in characters, per type, as the IAM and Organizations quotas
// pages give them. An inline limit applies to the total of an entity's
// inline policies; Parse checks one document against it, and callers that
// hold several add them up with [Size].
//
// [IAM and AWS STS quotas]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
var maxSize = map[Type]int{
	Identity:    6144,
	Boundary:    6144,
	InlineUser:  2048,
	InlineGroup: 5120,
	InlineRole:  10240,
	Trust:       2048,
	Session:     2048,
	SCP:         5120,
	RCP:         5120,
	Resource:    20480, // S3's bucket-policy limit (20 KB), the largest common one
}

// MaxSize returns the size limit of policies of type t, in characters as
// [Size] counts them.
func MaxSize(t Type) int { return maxSize[t] }

// Size returns the size of a document as AWS counts it against the limit of
// type t. AWS behaviour: IAM does not count white space; AWS Organizations
// counts every character of an SCP or RCP, and STS every character of a
// session policy's plaintext (the Policy parameter's length constraint).
func Size(doc string, t Type) int {
	if t == SCP || t == RCP || t == Session {
		return utf8.RuneCountInString(doc)
	}
	n := 0
	for _, r := range doc {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}

// iamCharset reports whether r may appear in a document stored by IAM:
// TAB, LF, CR and U+0020 to U+00FF.
func iamCharset(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF)
}

func (t Type) iamStored() bool {
	switch t {
	case Identity, InlineUser, InlineGroup, InlineRole, Trust, Boundary, Session:
		return true
	}
	return false
}

func (t Type) isOrg() bool { return t == SCP || t == RCP }

// validation stages, in the order AWS checks them; when a document has
// several faults AWS reports the first by this order.
const (
	stageSize = iota
	stageSyntax
	stageVersion
	stageLegacy
	stageSid
	stageActions
	stageResources
	stageResourceFormat
	stageActionVendor
	stagePrincipal
	stageType
)

type stagedFinding struct {
	Finding
	stage int
}

type validator struct {
	t        Type
	src      string
	findings []stagedFinding
}

func (v *validator) add(stage int, sev Severity, code, msg, detail, path string, span Span) {
	if v.t.isOrg() && sev == SeverityError && code == CodeMalformed {
		code, msg = CodeOrgMalformed, orgMalformedMessage
	}
	v.findings = append(v.findings, stagedFinding{stage: stage, Finding: Finding{
		Severity: sev, Code: code, Message: msg, Detail: detail, Path: path, Span: span,
	}})
}

func (v *validator) errorf(stage int, msg, path string, n *node, detail string, args ...any) {
	v.add(stage, SeverityError, CodeMalformed, msg, fmt.Sprintf(detail, args...), path, spanOf(n))
}

func (v *validator) warnf(path string, n *node, detail string, args ...any) {
	d := fmt.Sprintf(detail, args...)
	v.add(stageType, SeverityWarning, "", d, "", path, spanOf(n))
}

func spanOf(n *node) Span {
	if n == nil {
		return Span{}
	}
	return Span{Start: n.start, End: n.end}
}

// sorted returns the findings, errors first in AWS's order, then warnings.
func (v *validator) sorted() []Finding {
	sort.SliceStable(v.findings, func(i, j int) bool {
		a, b := v.findings[i], v.findings[j]
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.stage < b.stage
	})
	out := make([]Finding, len(v.findings))
	for i, f := range v.findings {
		out[i] = f.Finding
	}
	return out
}

// Validate checks a document as AWS does for policies of type t and returns
// every finding: errors (AWS refuses the document) first, in the order AWS
// checks them, then warnings.
func Validate(doc string, t Type) []Finding {
	_, findings := parseDocument(doc, t, true)
	return findings
}

// parseDocument parses and validates doc, and checks its size against the
// quota of t when sized is set. The Document is complete only when
// findings hold no error.
func parseDocument(src string, t Type, sized bool) (*Document, []Finding) {
	v := &validator{t: t, src: src}
	if limit, ok := maxSize[t]; ok && sized {
		if size := Size(src, t); size > limit {
			v.add(stageSize, SeverityError, sizeCode(t), sizeMessage(t, limit, ""),
				fmt.Sprintf("the document is %d characters, the limit for a %s policy is %d", size, t, limit), "", Span{})
			// AWS refuses an oversized document without reading it.
			return nil, v.sorted()
		}
	}
	if t.iamStored() {
		for i, r := range src {
			if !iamCharset(r) {
				v.add(stageSize, SeverityError, CodeValidationError, msgCharset,
					fmt.Sprintf("character %U at byte %d is outside TAB, LF, CR and U+0020 to U+00FF", r, i), "", Span{Start: i, End: i + utf8.RuneLen(r)})
				return nil, v.sorted()
			}
		}
	}
	root, err := parseJSON([]byte(src))
	if err != nil {
		detail := err.Error()
		if je, ok := err.(*jsonError); ok {
			detail = fmt.Sprintf("%s (at byte %d)", je.msg, je.offset)
		}
		v.errorf(stageSyntax, msgSyntax, "", nil, "%s", detail)
		return nil, v.sorted()
	}
	doc := v.document(root)
	doc.Source = src
	return doc, v.sorted()
}

func sizeCode(t Type) string {
	if t.isOrg() {
		return CodeOrgConstraint
	}
	if t == Session {
		return CodeValidationError
	}
	return CodeLimitExceeded
}

func sizeMessage(t Type, limit int, entity string) string {
	switch t {
	case Trust:
		return fmt.Sprintf(msgTrustSize, limit)
	case InlineUser:
		return strings.TrimSpace(fmt.Sprintf(msgInlineSize, limit, "user", entity))
	case InlineGroup:
		return strings.TrimSpace(fmt.Sprintf(msgInlineSize, limit, "group", entity))
	case InlineRole:
		return strings.TrimSpace(fmt.Sprintf(msgInlineSize, limit, "role", entity))
	case Session:
		return fmt.Sprintf(msgSessionSize, limit)
	case SCP, RCP:
		return msgOrgSize
	}
	return fmt.Sprintf(msgPolicySize, limit)
}

// SizeError returns the error AWS gives when the inline policies of an
// entity (a user, group or role named entity) add up to more than the
// limit of type t, or nil when total is within it.
func SizeError(t Type, total int, entity string) *Error {
	limit := maxSize[t]
	if total <= limit {
		return nil
	}
	return &Error{Findings: []Finding{{Severity: SeverityError, Code: sizeCode(t), Message: sizeMessage(t, limit, entity),
		Detail: fmt.Sprintf("%d characters, the limit is %d", total, limit)}}}
}

var (
	topKeys       = map[string]bool{"Version": true, "Id": true, "Statement": true}
	statementKeys = map[string]bool{"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true,
		"Action": true, "NotAction": true, "Resource": true, "NotResource": true, "Condition": true}
	principalKeys = map[string]bool{"AWS": true, "Service": true, "Federated": true, "CanonicalUser": true}
)

func (v *validator) document(root *node) *Document {
	doc := &Document{}
	if root.kind != kindObject {
		v.errorf(stageSyntax, msgSyntax, "", root, "the document is a JSON %s, not an object", root.kind)
		return doc
	}
	for _, m := range root.members {
		if !topKeys[m.key] {
			v.errorf(stageSyntax, msgSyntax, m.key, m.value, "unknown element %q (a policy has Version, Id and Statement)", m.key)
		}
	}
	if n := root.get("Version"); n != nil {
		if n.kind != kindString {
			v.errorf(stageSyntax, msgSyntax, "Version", n, "Version must be a string")
		} else {
			doc.Version = n.text
			if n.text != Version2012 && n.text != Version2008 {
				v.errorf(stageSyntax, msgSyntax, "Version", n, "Version must be %q or %q, not %q", Version2012, Version2008, n.text)
			}
		}
	}
	if doc.Version != Version2012 && (v.t == Identity || v.t == Boundary || v.t.isOrg()) {
		v.errorf(stageVersion, msgVersion2012, "Version", root.get("Version"), "a %s policy must declare Version %q", v.t, Version2012)
	} else if doc.Version == "" {
		v.warnf("Version", nil, "the policy has no Version, so AWS applies %s, in which policy variables such as ${aws:username} are plain text; declare \"Version\": %q", Version2008, Version2012)
	}
	if n := root.get("Id"); n != nil {
		if n.kind != kindString {
			v.errorf(stageSyntax, msgSyntax, "Id", n, "Id must be a string")
		} else {
			doc.ID = n.text
		}
	}
	st := root.get("Statement")
	var items []*node
	switch {
	case st == nil:
		v.errorf(stageSyntax, msgSyntax, "Statement", nil, "the policy has no Statement")
	case st.kind == kindObject:
		items = []*node{st}
	case st.kind == kindArray:
		items = st.items
		if len(items) == 0 {
			v.errorf(stageSyntax, msgSyntax, "Statement", st, "Statement is an empty array")
		}
	default:
		v.errorf(stageSyntax, msgSyntax, "Statement", st, "Statement must be an object or an array of objects, not a %s", st.kind)
	}
	sids := map[string]bool{}
	for i, item := range items {
		path := "Statement"
		if st.kind == kindArray {
			path = fmt.Sprintf("Statement[%d]", i)
		}
		s := v.statement(item, path, doc.Version)
		if s.Sid != "" {
			if sids[s.Sid] {
				v.errorf(stageSid, msgSidUnique, path+".Sid", item.get("Sid"), "Sid %q is used twice", s.Sid)
			}
			sids[s.Sid] = true
		}
		doc.Statements = append(doc.Statements, s)
	}
	return doc
}

func (v *validator) statement(n *node, path, version string) Statement {
	s := Statement{Span: spanOf(n)}
	if n.kind != kindObject {
		v.errorf(stageSyntax, msgSyntax, path, n, "a statement must be an object, not a %s", n.kind)
		return s
	}
	for _, m := range n.members {
		if !statementKeys[m.key] {
			v.errorf(stageSyntax, msgSyntax, path+"."+m.key, m.value, "unknown statement element %q", m.key)
		}
	}
	if sid := n.get("Sid"); sid != nil {
		if sid.kind != kindString {
			v.errorf(stageSyntax, msgSyntax, path+".Sid", sid, "Sid must be a string")
		} else {
			s.Sid = sid.text
			// AWS behaviour: IAM allows only ASCII letters and digits in a
			// Sid; resource-based policies of other services accept more.
			if v.t != Resource && !isAlnum(sid.text) {
				v.errorf(stageSid, msgSidAlnum, path+".Sid", sid, "Sid %q has characters other than ASCII letters and digits", sid.text)
			}
		}
	}
	v.effect(n, path, &s)
	v.principal(n, path, &s)
	v.actions(n, path, &s)
	v.resources(n, path, &s, version)
	v.conditions(n, path, &s)
	v.typeRules(n, path, &s)
	return s
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func (v *validator) effect(n *node, path string, s *Statement) {
	e := n.get("Effect")
	switch {
	case e == nil:
		v.errorf(stageSyntax, msgSyntax, path+".Effect", nil, "the statement has no Effect")
	case e.kind != kindString:
		v.errorf(stageSyntax, msgSyntax, path+".Effect", e, "Effect must be a string")
	case e.text == "Allow":
		s.Effect = Allow
	case e.text == "Deny":
		s.Effect = Deny
	case strings.EqualFold(e.text, "Allow") || strings.EqualFold(e.text, "Deny"):
		// AWS behaviour: the syntax check ignores case, the legacy parser
		// does not, so "allow" fails later and with another message.
		v.errorf(stageLegacy, msgLegacy, path+".Effect", e, "Effect is case-sensitive: write %q", titleEffect(e.text))
	default:
		v.errorf(stageSyntax, msgSyntax, path+".Effect", e, "Effect must be \"Allow\" or \"Deny\", not %q", e.text)
	}
}

func titleEffect(s string) string {
	if strings.EqualFold(s, "allow") {
		return "Allow"
	}
	return "Deny"
}

// stringList reads a string-or-array-of-strings element.
func (v *validator) stringList(n *node, path string) ([]string, bool) {
	switch n.kind {
	case kindString:
		return []string{n.text}, true
	case kindArray:
		out := make([]string, 0, len(n.items))
		for i, it := range n.items {
			if it.kind != kindString {
				v.errorf(stageSyntax, msgSyntax, fmt.Sprintf("%s[%d]", path, i), it, "expected a string, found a %s", it.kind)
				return nil, false
			}
			out = append(out, it.text)
		}
		return out, true
	}
	v.errorf(stageSyntax, msgSyntax, path, n, "expected a string or an array of strings, found a %s", n.kind)
	return nil, false
}

func (v *validator) actions(n *node, path string, s *Statement) {
	a, na := n.get("Action"), n.get("NotAction")
	if a != nil && na != nil {
		v.errorf(stageSyntax, msgSyntax, path, n, "a statement has either Action or NotAction, not both")
		return
	}
	el, name := a, "Action"
	if na != nil {
		el, name, s.NotAction = na, "NotAction", true
	}
	if el == nil {
		v.errorf(stageActions, msgNeedActions, path, n, "the statement has neither Action nor NotAction")
		return
	}
	list, ok := v.stringList(el, path+"."+name)
	if !ok {
		return
	}
	if len(list) == 0 {
		v.errorf(stageActions, msgNeedActions, path+"."+name, el, "%s is empty", name)
		return
	}
	for i, act := range list {
		v.checkAction(act, fmt.Sprintf("%s.%s[%d]", path, name, i), el)
	}
	s.Action = list
}

// checkAction applies AWS's action grammar: "*" or vendor:name, where the
// vendor is letters, digits, '-' and '.', and wildcards may stand anywhere.
func (v *validator) checkAction(act, path string, el *node) {
	if act == "*" {
		return
	}
	vendor, _, ok := strings.Cut(act, ":")
	switch {
	case !ok:
		v.errorf(stageActionVendor, msgVendorPrefix, path, el, "action %q has no service prefix", act)
	case strings.Count(act, ":") > 1:
		v.errorf(stageActionVendor, msgOneColon, path, el, "action %q has more than one colon", act)
	case !validVendor(vendor):
		v.errorf(stageActionVendor, fmt.Sprintf(msgVendorInvalid, vendor), path, el, "service prefix %q has characters other than letters, digits, '-', '.' and wildcards", vendor)
	}
}

func validVendor(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '.' || c == '*' || c == '?') {
			return false
		}
	}
	return true
}

func (v *validator) resources(n *node, path string, s *Statement, version string) {
	r, nr := n.get("Resource"), n.get("NotResource")
	if r != nil && nr != nil {
		v.errorf(stageSyntax, msgSyntax, path, n, "a statement has either Resource or NotResource, not both")
		return
	}
	el, name := r, "Resource"
	if nr != nil {
		el, name, s.NotResource = nr, "NotResource", true
	}
	if el == nil {
		if v.t != Trust {
			v.errorf(stageResources, msgNeedResources, path, n, "the statement has neither Resource nor NotResource")
		}
		return
	}
	s.HasResource = true
	if v.t == Trust {
		v.errorf(stageResources, fmt.Sprintf(msgProhibited, name), path+"."+name, el, "a role trust policy names no resource: the role is the resource")
		return
	}
	list, ok := v.stringList(el, path+"."+name)
	if !ok {
		return
	}
	if len(list) == 0 {
		v.errorf(stageResources, msgNeedResources, path+"."+name, el, "%s is empty", name)
		return
	}
	for i, res := range list {
		p := fmt.Sprintf("%s.%s[%d]", path, name, i)
		if res == "*" {
			continue
		}
		if !strings.HasPrefix(res, "arn:") {
			// AWS behaviour: anything that is not "*" must look like an ARN.
			v.errorf(stageResourceFormat, fmt.Sprintf(msgResourceFormat, res), p, el, "")
			continue
		}
		parts := strings.SplitN(res, ":", 6)
		if len(parts) < 3 || strings.ContainsAny(parts[2], "*?") || parts[2] == "" {
			v.errorf(stageResourceFormat, msgResourceVendor, p, el, "resource %q must name its service without wildcards", res)
			continue
		}
		secs, ok := arn.Split(res)
		if version == Version2012 && ok {
			// Variables are substituted only in the resource section.
			for j := 0; j < 5; j++ {
				if strings.Contains(secs[j], "${") {
					v.warnf(p, el, "policy variables are replaced only after the fifth colon of an ARN; %q stays literal", secs[j])
				}
			}
		}
		if version != Version2012 && strings.Contains(res, "${") {
			v.warnf(p, el, "%q holds a policy variable, which is plain text unless the policy declares Version %q", res, Version2012)
		}
	}
	s.Resource = list
}

func (v *validator) principal(n *node, path string, s *Statement) {
	p, np := n.get("Principal"), n.get("NotPrincipal")
	if p != nil && np != nil {
		v.errorf(stageSyntax, msgSyntax, path, n, "a statement has either Principal or NotPrincipal, not both")
		return
	}
	el, name := p, "Principal"
	if np != nil {
		el, name, s.NotPrincipal = np, "NotPrincipal", true
	}
	if el == nil {
		return
	}
	pr := &PrincipalSet{}
	ppath := path + "." + name
	switch el.kind {
	case kindString:
		if el.text != "*" {
			v.errorf(stageSyntax, msgSyntax, ppath, el, "a principal given as a string must be \"*\"; write {\"AWS\": %q}", el.text)
			return
		}
		pr.All = true
	case kindObject:
		if len(el.members) == 0 {
			v.errorf(stageSyntax, msgSyntax, ppath, el, "%s is empty", name)
			return
		}
		for _, m := range el.members {
			if !principalKeys[m.key] {
				v.errorf(stageSyntax, msgSyntax, ppath+"."+m.key, m.value, "unknown principal type %q (want AWS, Service, Federated or CanonicalUser)", m.key)
				continue
			}
			vals, ok := v.stringList(m.value, ppath+"."+m.key)
			if !ok {
				continue
			}
			for _, val := range vals {
				v.checkPrincipal(m.key, val, ppath+"."+m.key, m.value)
			}
			switch m.key {
			case "AWS":
				pr.AWS = vals
			case "Service":
				pr.Service = vals
			case "Federated":
				pr.Federated = vals
			case "CanonicalUser":
				pr.CanonicalUser = vals
			}
		}
	default:
		v.errorf(stageSyntax, msgSyntax, ppath, el, "%s must be \"*\" or an object, not a %s", name, el.kind)
		return
	}
	s.Principal = pr
}

// checkPrincipal applies AWS's rules for one principal value: no partial
// wildcards, account ids of 12 digits, IAM and STS principal ARNs.
func (v *validator) checkPrincipal(kind, val, path string, el *node) {
	bad := func(why string) {
		v.errorf(stagePrincipal, fmt.Sprintf(msgInvalidPrincipal, kind, val), path, el, "%s", why)
	}
	if val == "*" {
		if kind == "AWS" {
			return
		}
		if kind == "Service" || kind == "Federated" || kind == "CanonicalUser" {
			bad("only the AWS principal type, or the whole Principal, may be \"*\"")
		}
		return
	}
	if strings.ContainsAny(val, "*?") {
		bad("a principal cannot use a wildcard to match part of a name or ARN; use \"*\" with a condition on aws:PrincipalArn")
		return
	}
	switch kind {
	case "AWS":
		if arn.IsAccountID(val) {
			return
		}
		a, err := arn.Parse(val)
		if err != nil {
			bad("an AWS principal is a 12-digit account id, an IAM or STS ARN, or \"*\"")
			return
		}
		if !arn.IsAccountID(a.Account) {
			bad("the ARN has no 12-digit account id")
			return
		}
		switch a.Service {
		case "iam":
			if a.Resource == "root" || strings.HasPrefix(a.Resource, "user/") || strings.HasPrefix(a.Resource, "role/") {
				return
			}
		case "sts":
			if strings.HasPrefix(a.Resource, "assumed-role/") && strings.Count(a.Resource, "/") == 2 ||
				strings.HasPrefix(a.Resource, "federated-user/") {
				return
			}
		}
		bad("an AWS principal ARN names an account root, a user, a role, an assumed-role session or a federated user")
	case "Service":
		if val == "" || strings.ContainsAny(val, " \t") {
			bad("a service principal is a service's DNS name, e.g. s3.amazonaws.com")
		}
	case "Federated":
		if val == "" {
			bad("a federated principal is an identity provider's ARN or name")
		}
	case "CanonicalUser":
		if val == "" {
			bad("a canonical user id is a 64-character hexadecimal string")
		}
	}
}

func (v *validator) conditions(n *node, path string, s *Statement) {
	c := n.get("Condition")
	if c == nil {
		return
	}
	cpath := path + ".Condition"
	if c.kind != kindObject {
		v.errorf(stageSyntax, msgSyntax, cpath, c, "Condition must be an object, not a %s", c.kind)
		return
	}
	for _, m := range c.members {
		opPath := cpath + "." + m.key
		op, ok := parseOperator(m.key)
		if !ok {
			v.errorf(stageSyntax, msgSyntax, opPath, m.value, "unknown condition operator %q", m.key)
			continue
		}
		if m.value.kind != kindObject {
			v.errorf(stageSyntax, msgSyntax, opPath, m.value, "a condition operator takes an object of keys, not a %s", m.value.kind)
			continue
		}
		block := ConditionBlock{Operator: m.key}
		for _, k := range m.value.members {
			kpath := opPath + "." + k.key
			vals, ok := v.conditionValues(k.value, kpath)
			if !ok {
				continue
			}
			if k.key != "*" && !strings.Contains(k.key, ":") {
				v.errorf(stageActionVendor, msgVendorPrefix, kpath, k.value, "condition key %q has no prefix such as aws: or s3:", k.key)
			}
			v.checkConditionValues(op, s.Effect, vals, kpath, k.value)
			block.Keys = append(block.Keys, ConditionKey{Key: k.key, Values: vals})
		}
		s.Condition = append(s.Condition, block)
	}
}

// conditionValues reads a condition's values: a string, number or boolean,
// or an array of them. AWS accepts numbers and booleans unquoted.
func (v *validator) conditionValues(n *node, path string) ([]string, bool) {
	scalar := func(x *node) (string, bool) {
		switch x.kind {
		case kindString, kindNumber, kindBool:
			return x.text, true
		}
		v.errorf(stageSyntax, msgSyntax, path, x, "a condition value is a string, number or boolean, not a %s", x.kind)
		return "", false
	}
	if n.kind == kindArray {
		out := make([]string, 0, len(n.items))
		for _, it := range n.items {
			s, ok := scalar(it)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	s, ok := scalar(n)
	if !ok {
		return nil, false
	}
	return []string{s}, true
}

func (v *validator) checkConditionValues(op operator, eff Effect, vals []string, path string, el *node) {
	if op.set == setForAll && eff == Allow && !op.negated {
		v.warnf(path, el, "ForAllValues is also true when the key is absent from the request or has no values; with Allow, add a Null condition or use ForAnyValue")
	}
	for _, val := range vals {
		switch op.family() {
		case familyDate:
			if _, ok := parseDate(val); !ok {
				v.errorf(stageLegacy, msgLegacy, path, el, "%q is not an ISO 8601 date-time or epoch seconds", val)
			}
		case familyNumeric:
			if _, ok := parseDecimal(val); !ok {
				v.warnf(path, el, "%q is not a number, so this value never matches", val)
			}
		case familyIP:
			if _, ok := parseCIDR(val); !ok {
				v.warnf(path, el, "%q is not an IP address or CIDR block, so this value never matches", val)
			}
		case familyBool:
			if !strings.EqualFold(val, "true") && !strings.EqualFold(val, "false") && !strings.Contains(val, "${") {
				v.warnf(path, el, "%q is not true or false, so this value never matches", val)
			}
		case familyNull:
			if !strings.EqualFold(val, "true") && !strings.EqualFold(val, "false") {
				v.warnf(path, el, "Null takes true (the key is absent) or false (the key is present), not %q", val)
			}
		case familyBinary:
			if _, ok := decodeBase64(val); !ok {
				v.warnf(path, el, "%q is not base64, so this value never matches", val)
			}
		case familyARN:
			if val != "*" && !strings.HasPrefix(val, "arn:") && !strings.Contains(val, "${") {
				v.warnf(path, el, "%q is not an ARN pattern, so this value never matches", val)
			}
		}
	}
}

// typeRules applies what each policy type requires or forbids beyond the
// common grammar.
func (v *validator) typeRules(n *node, path string, s *Statement) {
	pname := "Principal"
	if s.NotPrincipal {
		pname = "NotPrincipal"
	}
	ppath := path + "." + pname
	switch {
	case v.t == SCP:
		// AWS behaviour (SCPs with the full IAM language, 2025): every
		// element but Principal and NotPrincipal.
		if s.Principal != nil {
			v.errorf(stagePrincipal, msgNoPrincipal, ppath, n.get(pname), "a service control policy applies to the account's principals and names none")
		}
	case v.t == RCP:
		v.rcpRules(n, path, s)
	case v.t.identityLike():
		if s.Principal != nil {
			v.errorf(stagePrincipal, msgNoPrincipal, ppath, n.get(pname), "a %s policy applies to the principal it is attached to and names none", v.t)
		}
	case v.t == Trust:
		if s.NotPrincipal {
			v.errorf(stagePrincipal, fmt.Sprintf(msgProhibited, "NotPrincipal"), ppath, n.get(pname), "a role trust policy cannot use NotPrincipal")
		} else if s.Principal == nil {
			v.errorf(stagePrincipal, msgTrustNoPrincipal, path, n, "a role trust policy names the principals that may assume the role")
		}
		for _, a := range s.Action {
			if !trustAction(a) {
				v.warnf(path+".Action", n.get("Action"), "%q is not an action a role trust policy governs (sts:AssumeRole*, sts:TagSession, sts:SetSourceIdentity, sts:SetContext)", a)
			}
		}
	case v.t == Resource:
		if s.Principal == nil {
			v.errorf(stagePrincipal, msgMissingPrincipal, path, n, "a resource-based policy names the principals it applies to")
		}
	}
	if s.NotPrincipal && s.Effect == Allow {
		v.errorf(stagePrincipal, msgNotPrincipalAllow, ppath, n.get(pname), "AWS supports NotPrincipal only in Deny statements")
	}
	if s.Effect == Allow && s.NotAction && v.t != SCP && len(s.Resource) == 1 && s.Resource[0] == "*" && !s.NotResource {
		v.warnf(path, n, "Allow with NotAction on every resource grants every other action of every service, including ones added later")
	}
}

func trustAction(a string) bool {
	l := strings.ToLower(a)
	return l == "*" || l == "sts:*" || strings.HasPrefix(l, "sts:assumerole") || l == "sts:tagsession" ||
		l == "sts:setsourceidentity" || l == "sts:setcontext"
}

// rcpRules: AWS behaviour (Organizations, resource control policies): the
// principal is "*", NotAction and NotPrincipal are not supported, and only
// the AWS-managed RCPFullAWSAccess may allow.
func (v *validator) rcpRules(n *node, path string, s *Statement) {
	switch {
	case s.NotPrincipal:
		v.errorf(stagePrincipal, msgSyntax, path+".NotPrincipal", n.get("NotPrincipal"), "a resource control policy cannot use NotPrincipal")
	case s.Principal == nil:
		v.errorf(stagePrincipal, msgSyntax, path, n, "a resource control policy statement needs \"Principal\": \"*\"")
	case !s.Principal.All && !(len(s.Principal.AWS) == 1 && s.Principal.AWS[0] == "*" && len(s.Principal.Service)+len(s.Principal.Federated)+len(s.Principal.CanonicalUser) == 0):
		v.errorf(stagePrincipal, msgSyntax, path+".Principal", n.get("Principal"), "the principal of a resource control policy must be \"*\"; narrow it with conditions on aws:PrincipalArn and similar keys")
	}
	if s.NotAction {
		v.errorf(stageType, msgSyntax, path+".NotAction", n.get("NotAction"), "a resource control policy cannot use NotAction")
	}
	if s.Effect == Allow && !isFullAccessAllow(s) {
		v.errorf(stageType, msgSyntax, path+".Effect", n.get("Effect"), "only the AWS-managed RCPFullAWSAccess may allow; a customer resource control policy denies")
	}
}

// isFullAccessAllow reports whether s is the one statement of the
// AWS-managed RCPFullAWSAccess policy: allow "*" on "*" to "*".
func isFullAccessAllow(s *Statement) bool {
	return len(s.Action) == 1 && s.Action[0] == "*" && !s.NotAction &&
		len(s.Resource) == 1 && s.Resource[0] == "*" && !s.NotResource && len(s.Condition) == 0
}
