package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warden-iam/warden/internal/simulate"
	"github.com/warden-iam/warden/policy"
)

func newPolicyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Validate policy documents and simulate decisions, offline",
	}
	cmd.AddCommand(newValidateCommand(), newSimulateCommand())
	return cmd
}

// readInput reads a file, or standard input for "-".
func readInput(cmd *cobra.Command, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(cmd.InOrStdin())
	}
	return os.ReadFile(name)
}

func newValidateCommand() *cobra.Command {
	var typeName string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a policy document as AWS would, for its policy type",
		Long: `Validate checks a policy document against AWS's grammar and the rules of its
policy type, and prints every finding with its path in the document. AWS's own
message comes first; the text in parentheses says precisely what is wrong.
It exits 1 when the document has errors (AWS would refuse it), 0 otherwise.

Types: identity (managed), inline-user, inline-group, inline-role, resource,
trust, boundary, session, scp, rcp. FILE "-" reads standard input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := policy.ParseType(typeName)
			if err != nil {
				return err
			}
			data, err := readInput(cmd, args[0])
			if err != nil {
				return err
			}
			findings := policy.Validate(string(data), t)
			errs := 0
			for _, f := range findings {
				if f.Severity == policy.SeverityError {
					errs++
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				if err := writeJSON(out, validateReport(findings, errs)); err != nil {
					return err
				}
			} else {
				for _, f := range findings {
					fmt.Fprintln(out, f.String())
				}
				if errs == 0 {
					fmt.Fprintf(out, "valid %s policy (%d characters of %d)\n", t, policy.Size(string(data), t), policy.MaxSize(t))
				}
			}
			if errs > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&typeName, "type", "identity", "the policy type: identity|inline-user|inline-group|inline-role|resource|trust|boundary|session|scp|rcp")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON")
	return cmd
}

type jsonFinding struct {
	Severity string `json:"severity"`
	Code     string `json:"code,omitempty"`
	Message  string `json:"message"`
	Detail   string `json:"detail,omitempty"`
	Path     string `json:"path,omitempty"`
	Start    int    `json:"start,omitempty"`
	End      int    `json:"end,omitempty"`
}

func validateReport(findings []policy.Finding, errs int) any {
	list := make([]jsonFinding, 0, len(findings))
	for _, f := range findings {
		list = append(list, jsonFinding{Severity: f.Severity.String(), Code: f.Code, Message: f.Message,
			Detail: f.Detail, Path: f.Path, Start: f.Span.Start, End: f.Span.End})
	}
	return struct {
		Valid    bool          `json:"valid"`
		Findings []jsonFinding `json:"findings"`
	}{Valid: errs == 0, Findings: list}
}

func newSimulateCommand() *cobra.Command {
	var input string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "simulate --input FILE|-",
		Short: "Decide requests against the policies they list, as AWS would",
		Long: `Simulate reads one request, or a JSON array of them, and prints one result per
request in the same order: the decision (Allowed, ExplicitlyDenied or
ImplicitlyDenied), AWS's reason, and every statement that matched.

A request names the principal (a user, role-session, federated-user or root
ARN, an account id, a service principal, or "*"), the action, the resource
and its account, the context keys, and the policies that apply:
identityPolicies, resourcePolicy (with resourcePolicyType "resource" or
"trust"), permissionsBoundary, sessionPolicy, serviceControlPolicies and
resourceControlPolicies (one list of policies per organization level, root
first). An absent policy key means that type does not apply.

The exit status is 0 when every request was decided, 1 when a request could
not be (its result carries the error).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if input == "" {
				return fmt.Errorf("--input is required (a file, or - for standard input)")
			}
			data, err := readInput(cmd, input)
			if err != nil {
				return err
			}
			inputs, single, err := simulate.ReadInputs(data)
			if err != nil {
				return err
			}
			outputs := make([]simulate.Output, len(inputs))
			failed := false
			for i, in := range inputs {
				outputs[i] = simulate.Run(in)
				failed = failed || outputs[i].Error != nil
			}
			out := cmd.OutOrStdout()
			if asJSON {
				var v any = outputs
				if single {
					v = outputs[0]
				}
				if err := writeJSON(out, v); err != nil {
					return err
				}
			} else {
				for i, o := range outputs {
					writeSimulationText(out, i, len(outputs), o)
				}
			}
			if failed {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&input, "input", "", "the request file, or - for standard input")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	return cmd
}

func writeSimulationText(w io.Writer, i, n int, o simulate.Output) {
	prefix := ""
	if n > 1 {
		prefix = fmt.Sprintf("[%d] ", i)
	}
	if o.Error != nil {
		fmt.Fprintf(w, "%serror: %s\n", prefix, o.Error.Error())
		return
	}
	fmt.Fprintf(w, "%s%s: %s\n", prefix, o.Decision, o.Reason)
	for _, m := range o.Matched {
		sid := ""
		if m.Sid != "" {
			sid = " (" + m.Sid + ")"
		}
		fmt.Fprintf(w, "  matched %s %s statement %d%s: %s\n", m.Kind, m.Policy, m.Statement, sid, m.Effect)
	}
	if len(o.MissingContextKeys) > 0 {
		fmt.Fprintf(w, "  missing context keys: %s\n", strings.Join(o.MissingContextKeys, ", "))
	}
	for _, warn := range o.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
