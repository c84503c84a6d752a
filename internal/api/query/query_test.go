package query

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
)

type tag struct {
	Key   string `query:"Key,required" min:"1" max:"128" pattern:"tagKey"`
	Value string `query:"Value,required" max:"256" pattern:"tagValue"`
}

type createUserInput struct {
	UserName            string            `query:"UserName,required" min:"1" max:"64" pattern:"name"`
	Path                *string           `query:"Path" min:"1" max:"512" pattern:"path"`
	PermissionsBoundary *string           `query:"PermissionsBoundary" min:"20" max:"2048" pattern:"arn"`
	Tags                []tag             `query:"Tags" max:"50"`
	MaxItems            *int              `query:"MaxItems" minValue:"1" maxValue:"1000"`
	OnlyAttached        bool              `query:"OnlyAttached"`
	Status              string            `query:"Status" enum:"Active|Inactive"`
	ClientIDs           []string          `query:"ClientIDList" pattern:"name"`
	Context             map[string]string `query:"Context"`
}

func decode(t *testing.T, form string) (createUserInput, error) {
	t.Helper()
	vals, err := url.ParseQuery(form)
	require.NoError(t, err)
	var in createUserInput
	return in, Decode(vals, &in)
}

func TestDecode(t *testing.T) {
	in, err := decode(t, "UserName=alice&Path=%2Feng%2F&Tags.member.1.Key=team&Tags.member.1.Value=red&Tags.member.2.Key=env&Tags.member.2.Value=&MaxItems=10&OnlyAttached=true&Status=Active&ClientIDList.member.2=b&ClientIDList.member.1=a&Context.entry.1.key=k&Context.entry.1.value=v")
	require.NoError(t, err)
	require.Equal(t, "alice", in.UserName)
	require.Equal(t, "/eng/", *in.Path)
	require.Nil(t, in.PermissionsBoundary)
	require.Equal(t, []tag{{"team", "red"}, {"env", ""}}, in.Tags)
	require.Equal(t, 10, *in.MaxItems)
	require.True(t, in.OnlyAttached)
	require.Equal(t, []string{"a", "b"}, in.ClientIDs, "members in number order")
	require.Equal(t, map[string]string{"k": "v"}, in.Context)
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ name, form, code, msg string }{
		{"missing required", "Path=%2F", "ValidationError",
			"1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{"pattern", "UserName=bad%20name", "ValidationError",
			`1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"too long", "UserName=" + strings.Repeat("a", 65), "ValidationError",
			"1 validation error detected: Value '" + strings.Repeat("a", 65) + "' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"two errors", "UserName=a%20b&Path=eng", "ValidationError",
			`2 validation errors detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+; Value 'eng' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"range", "UserName=a&MaxItems=0", "ValidationError",
			"1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"not an integer", "UserName=a&MaxItems=ten", "ValidationError", "Invalid value 'ten' for MaxItems: must be an integer."},
		{"not a boolean", "UserName=a&OnlyAttached=yes", "ValidationError",
			"1 validation error detected: Value 'yes' at 'onlyAttached' failed to satisfy constraint: Member must be a boolean"},
		{"enum", "UserName=a&Status=Gone", "ValidationError",
			"1 validation error detected: Value 'Gone' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]"},
		{"duplicate parameter", "UserName=a&UserName=b", "ValidationError", "The parameter UserName is given more than once."},
		{"tag key missing", "UserName=a&Tags.member.1.Value=x", "ValidationError",
			"1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode(t, tc.form)
			var ae *awserr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.code, ae.Code)
			require.Equal(t, tc.msg, ae.Message)
			require.Equal(t, 400, ae.Status)
		})
	}
}

func TestDecodeIgnoresMalformedMemberNumbers(t *testing.T) {
	in, err := decode(t, "UserName=a&ClientIDList.member.01=x&ClientIDList.member.0=y&ClientIDList.member.z=w")
	require.NoError(t, err)
	require.Nil(t, in.ClientIDs)
}

func TestEncodeResult(t *testing.T) {
	type user struct {
		UserName   string `xml:"UserName"`
		CreateDate Time   `xml:"CreateDate"`
	}
	type result struct {
		User user `xml:"User"`
	}
	out, err := EncodeResult(NamespaceIAM, "CreateUser", result{User: user{"alice", Time(time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC))}}, "req-1")
	require.NoError(t, err)
	require.Equal(t, `<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User><UserName>alice</UserName><CreateDate>2026-01-02T03:04:05Z</CreateDate></User></CreateUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateUserResponse>`, string(out))

	out, err = EncodeResult(NamespaceIAM, "DeleteUser", nil, "req-2")
	require.NoError(t, err)
	require.Equal(t, `<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DeleteUserResponse>`, string(out))
}

func TestEncodeError(t *testing.T) {
	out := EncodeError(NamespaceIAM, awserr.NoSuchEntity("The user with name <bob> cannot be found."), "req-3")
	require.Equal(t, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name &lt;bob&gt; cannot be found.</Message></Error><RequestId>req-3</RequestId></ErrorResponse>`, string(out))
}

func FuzzDecode(f *testing.F) {
	f.Add("UserName=alice&Path=%2F&Tags.member.1.Key=a&Tags.member.1.Value=b")
	f.Add("Tags.member.99999999999999999999.Key=a")
	f.Add("ClientIDList.member.1=%00&Context.entry.1.key=&MaxItems=-1")
	f.Fuzz(func(t *testing.T, form string) {
		vals, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		var in createUserInput
		if err := Decode(vals, &in); err != nil {
			var ae *awserr.Error
			if !isAWSError(err, &ae) || ae.Status != 400 {
				t.Fatalf("Decode(%q) = %v, want a 400 AWS error", form, err)
			}
		}
	})
}

func isAWSError(err error, target **awserr.Error) bool {
	ae, ok := err.(*awserr.Error)
	*target = ae
	return ok
}
