// Package awspolicies is the catalog of the AWS managed policies Warden
// serves under arn:aws:iam::aws:policy/...: their names, paths, ids,
// default versions, dates, descriptions and documents, as AWS publishes
// them in the AWS Managed Policy Reference Guide. The catalog is data
// compiled into the binary (one JSON file per policy under policies/);
// every account sees the same policies and none can change them.
//
// It imports only the public policy package, to compile the documents;
// it must not import the store or the IAM service.
package awspolicies
