// Package iamapi is the IAM action table: one declarative api.Action per
// IAM action, and the wire structs (XML in AWS's spelling) of their
// results. Domain logic stays in package iam; this package converts.
package iamapi
