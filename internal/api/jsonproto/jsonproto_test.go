package jsonproto

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/warden-iam/warden/internal/awserr"
)

func init() {
	RegisterPattern("testId", `ou-[a-z0-9]{4}`)
}

type testTag struct {
	Key   string  `json:"Key,required" min:"1" max:"3"`
	Value *string `json:"Value,required" max:"4"`
}

type testInput struct {
	ID          string    `json:"Id,required" pattern:"testId"`
	Description *string   `json:"Description,required" max:"5"`
	Kind        string    `json:"Kind" enum:"A|B"`
	Max         *int32    `json:"Max" minValue:"1" maxValue:"20"`
	Tags        []testTag `json:"Tags" max:"2"`
	Keys        []string  `json:"Keys" member:"min:\"1\" max:\"2\""`
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name, body    string
		field, reason string
	}{
		{"valid", `{"Id":"ou-ab12","Description":"","Kind":"A","Max":20,"Tags":[{"Key":"k","Value":""}],"Keys":["ab"]}`, "", ""},
		{"empty optional enum", `{"Id":"ou-ab12","Description":"d"}`, "", ""},
		{"missing value field", `{"Description":"d"}`, "Id", ReasonRequired},
		{"empty required value field", `{"Id":"","Description":"d"}`, "Id", ReasonRequired},
		{"missing pointer field", `{"Id":"ou-ab12"}`, "Description", ReasonRequired},
		{"pattern", `{"Id":"ou-AB12","Description":"d"}`, "Id", ReasonPattern},
		{"max length in characters", `{"Id":"ou-ab12","Description":"ééééé"}`, "", ""},
		{"max length", `{"Id":"ou-ab12","Description":"123456"}`, "Description", ReasonMaxLength},
		{"enum", `{"Id":"ou-ab12","Description":"d","Kind":"C"}`, "Kind", ReasonEnum},
		{"min value", `{"Id":"ou-ab12","Description":"d","Max":0}`, "Max", ReasonMinValue},
		{"max value", `{"Id":"ou-ab12","Description":"d","Max":21}`, "Max", ReasonMaxValue},
		{"list length", `{"Id":"ou-ab12","Description":"d","Tags":[{"Key":"a","Value":""},{"Key":"b","Value":""},{"Key":"c","Value":""}]}`, "Tags", ReasonMaxLength},
		{"nested required", `{"Id":"ou-ab12","Description":"d","Tags":[{"Key":"a"}]}`, "Tags.1.Value", ReasonRequired},
		{"nested length", `{"Id":"ou-ab12","Description":"d","Tags":[{"Key":"a","Value":""},{"Key":"abcd","Value":""}]}`, "Tags.2.Key", ReasonMaxLength},
		{"list member", `{"Id":"ou-ab12","Description":"d","Keys":["abc"]}`, "Keys.1", ReasonMaxLength},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in testInput
			err := Decode([]byte(tc.body), &in)
			if tc.reason == "" {
				require.NoError(t, err)
				return
			}
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			require.Equal(t, FieldError{Field: tc.field, Reason: tc.reason}, *fe)
		})
	}
}

func TestDecodeSerialization(t *testing.T) {
	for _, body := range []string{`{`, `[]`, `{"Id":1}`, `{"Max":"x"}`, "{\"Id\":\"\xff\"}"} {
		var in testInput
		err := Decode([]byte(body), &in)
		var ae *awserr.Error
		require.True(t, errors.As(err, &ae), "%q: %v", body, err)
		require.Equal(t, "SerializationException", ae.Code)
	}
	var in struct{}
	require.NoError(t, Decode(nil, &in), "an empty body is {}")
}

func TestTime(t *testing.T) {
	tm := Time(time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC))
	b, err := tm.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, "1767323045.678", string(b))
	var back Time
	require.NoError(t, back.UnmarshalJSON(b))
	require.True(t, time.Time(tm).Equal(time.Time(back)))
}

func TestEncodeError(t *testing.T) {
	e := awserr.New("InvalidInputException", 400, "bad \"value\"")
	e.Reason = "INVALID_PATTERN"
	require.JSONEq(t, `{"__type":"InvalidInputException","Message":"bad \"value\"","Reason":"INVALID_PATTERN"}`, string(EncodeError(e)))
	require.JSONEq(t, `{"__type":"X","Message":"m"}`, string(EncodeError(awserr.New("X", 400, "m"))))
}

// FuzzDecode: any body decodes to a value or is refused with a
// SerializationException or a FieldError; nothing panics.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"Id":"ou-ab12","Description":"","Kind":"A","Max":20,"Tags":[{"Key":"k","Value":""}],"Keys":["ab"]}`,
		`{}`, ``, `{"Tags":[{}]}`, `{"Max":1e99}`, `{"Id":null}`, `{"Keys":[null]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in testInput
		err := Decode([]byte(body), &in)
		if err == nil {
			return
		}
		var fe *FieldError
		var ae *awserr.Error
		if !errors.As(err, &fe) && !(errors.As(err, &ae) && ae.Code == "SerializationException") {
			t.Fatalf("%q: unexpected error %v", body, err)
		}
		if fe != nil && fe.Field == "" {
			t.Fatalf("%q: a field error names no field", body)
		}
	})
}
