// Package servicecatalog names AWS services: for each service namespace
// (the prefix of its actions, "s3" in "s3:GetObject") the name AWS reports
// for it, as IAM's last accessed reports show it in ServiceName. It covers
// the commonly used services, not all of AWS; a namespace it lacks is not
// reported. It must import nothing of Warden:
// the IAM service and the policy tools may both use it.
package servicecatalog
