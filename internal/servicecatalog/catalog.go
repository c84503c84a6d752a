package servicecatalog

import (
	"slices"
	"strings"
)

// names maps namespaces to AWS's names of the services, as the Service
// Authorization Reference and IAM's last accessed reports spell them
// ("AWS Identity and Access Management" for iam; "Amazon Simple Storage
// Service" for s3, as in the GetServiceLastAccessedDetails example of the
// IAM API Reference).
var names = map[string]string{
	"access-analyzer":      "IAM Access Analyzer",
	"acm":                  "AWS Certificate Manager",
	"apigateway":           "Amazon API Gateway",
	"athena":               "Amazon Athena",
	"autoscaling":          "Amazon EC2 Auto Scaling",
	"backup":               "AWS Backup",
	"batch":                "AWS Batch",
	"bedrock":              "Amazon Bedrock",
	"ce":                   "AWS Cost Explorer Service",
	"cloudformation":       "AWS CloudFormation",
	"cloudfront":           "Amazon CloudFront",
	"cloudtrail":           "AWS CloudTrail",
	"cloudwatch":           "Amazon CloudWatch",
	"codebuild":            "AWS CodeBuild",
	"codecommit":           "AWS CodeCommit",
	"codedeploy":           "AWS CodeDeploy",
	"codepipeline":         "AWS CodePipeline",
	"cognito-identity":     "Amazon Cognito Identity",
	"cognito-idp":          "Amazon Cognito User Pools",
	"config":               "AWS Config",
	"dynamodb":             "Amazon DynamoDB",
	"ec2":                  "Amazon EC2",
	"ecr":                  "Amazon Elastic Container Registry",
	"ecs":                  "Amazon Elastic Container Service",
	"eks":                  "Amazon Elastic Kubernetes Service",
	"elasticache":          "Amazon ElastiCache",
	"elasticfilesystem":    "Amazon Elastic File System",
	"elasticloadbalancing": "Elastic Load Balancing",
	"es":                   "Amazon OpenSearch Service",
	"events":               "Amazon EventBridge",
	"firehose":             "Amazon Kinesis Firehose",
	"glue":                 "AWS Glue",
	"guardduty":            "Amazon GuardDuty",
	"iam":                  "AWS Identity and Access Management",
	"kinesis":              "Amazon Kinesis",
	"kms":                  "AWS Key Management Service",
	"lambda":               "AWS Lambda",
	"logs":                 "Amazon CloudWatch Logs",
	"organizations":        "AWS Organizations",
	"ram":                  "AWS Resource Access Manager",
	"rds":                  "Amazon RDS",
	"redshift":             "Amazon Redshift",
	"route53":              "Amazon Route 53",
	"s3":                   "Amazon Simple Storage Service",
	"sagemaker":            "Amazon SageMaker",
	"secretsmanager":       "AWS Secrets Manager",
	"securityhub":          "AWS Security Hub",
	"ses":                  "Amazon SES",
	"sns":                  "Amazon SNS",
	"sqs":                  "Amazon SQS",
	"ssm":                  "AWS Systems Manager",
	"sso":                  "AWS IAM Identity Center",
	"states":               "AWS Step Functions",
	"sts":                  "AWS Security Token Service",
	"support":              "AWS Support",
	"tag":                  "Amazon Resource Group Tagging API",
	"xray":                 "AWS X-Ray",
}

// sorted holds the namespaces in order.
var sorted = func() []string {
	out := make([]string, 0, len(names))
	for ns := range names {
		out = append(out, ns)
	}
	slices.Sort(out)
	return out
}()

// Name returns AWS's name of the service with namespace ns (compared
// case-insensitively) and whether the catalog knows the service.
func Name(ns string) (string, bool) {
	n, ok := names[strings.ToLower(ns)]
	return n, ok
}

// Namespaces returns every namespace of the catalog in lexical order. The
// caller must not modify the slice.
func Namespaces() []string { return sorted }
