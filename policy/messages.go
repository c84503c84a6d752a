package policy

// AWS's MalformedPolicyDocument messages. Where AWS has one message for many
// faults ("Syntax errors in policy."), a Finding's Detail names the fault.
// Sources: the IAM User Guide grammar and quotas pages, and messages AWS has
// returned to real clients (see docs/policy-rules.md).
const (
	msgSyntax            = "Syntax errors in policy."
	msgVersion2012       = "Policy document must be version 2012-10-17 or greater."
	msgLegacy            = "The policy failed legacy parsing"
	msgSidUnique         = "Statement IDs (SID) in a single policy must be unique."
	msgSidAlnum          = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgNeedActions       = "Policy statement must contain actions."
	msgNeedResources     = "Policy statement must contain resources."
	msgResourceFormat    = "Resource %s must be in ARN format or \"*\"."
	msgResourceVendor    = "Resource vendor must be fully qualified and cannot contain regexes."
	msgVendorPrefix      = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon          = "Actions/Condition can contain only one colon."
	msgVendorInvalid     = "Vendor %s is not valid"
	msgNoPrincipal       = "Policy document should not specify a principal."
	msgProhibited        = "Has prohibited field %s"
	msgTrustNoPrincipal  = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"
	msgMissingPrincipal  = "Missing required field Principal"
	msgInvalidPrincipal  = "Invalid principal in policy: \"%s\":\"%s\""
	msgPolicySize        = "Cannot exceed quota for PolicySize: %d"
	msgTrustSize         = "Cannot exceed quota for ACLSizePerRole: %d"
	msgInlineSize        = "Maximum policy size of %d bytes exceeded for %s %s"
	msgSessionSize       = "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to %d"
	msgOrgSize           = "You have exceeded the maximum policy size."
	msgCharset           = "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
	msgNotPrincipalAllow = "NotPrincipal is supported only with \"Effect\": \"Deny\"."
)
