// Package servicecatalog names AWS services: for each service namespace
// (the prefix of its actions, "s3" in "s3:GetObject") the name AWS reports
// for it, as IAM's last accessed reports show it in ServiceName. It covers
// the commonly used services, not all of AWS; a namespace it lacks is not
// reported. It imports nothing of Warden, so any package may use it.
package servicecatalog
