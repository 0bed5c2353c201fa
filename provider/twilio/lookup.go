package twilio

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/heraldsms/herald/provider"
)

type lookupResource struct {
	PhoneNumber          string `json:"phone_number"`
	Valid                bool   `json:"valid"`
	CountryCode          string `json:"country_code"`
	LineTypeIntelligence *struct {
		Type        string `json:"type"`
		CarrierName string `json:"carrier_name"`
		ErrorCode   *int   `json:"error_code"`
	} `json:"line_type_intelligence"`
}

// Lookup asks Lookup v2 for the line type of number (Fields=
// line_type_intelligence, a paid package on the Twilio account). Requests go
// to WithLookupBaseURL's URL, else to WithBaseURL's, else to
// https://lookups.twilio.com.
//
// A number Twilio finds invalid is an answer (Valid false, no error). A
// valid number whose line type Twilio could not tell (no
// line_type_intelligence in the answer, or its error_code set, e.g. 60600)
// is an error wrapping provider.ErrNoLineType with that code, never a
// silent LineUnknown; HTTP and transport failures are classified as for a
// send (429 retryable, 404 permanent, ...).
func (p *Provider) Lookup(ctx context.Context, number string) (provider.LineInfo, error) {
	u := p.lookupURL + "/v2/PhoneNumbers/" + url.PathEscape(number) + "?Fields=line_type_intelligence"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return provider.LineInfo{}, &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: lookup %s: %w", provider.ErrInvalidRequest, provider.MaskNumber(number), err)}
	}
	var res lookupResource
	if err := p.do(req, &res); err != nil {
		return provider.LineInfo{}, err
	}
	info := provider.LineInfo{Number: res.PhoneNumber, Valid: res.Valid, Country: res.CountryCode}
	if !res.Valid {
		return info, nil
	}
	lti := res.LineTypeIntelligence
	switch {
	case lti == nil:
		return provider.LineInfo{}, &provider.Error{Provider: Name, HTTPStatus: http.StatusOK, Class: provider.Permanent,
			Err: fmt.Errorf("%w: lookup %s: no line_type_intelligence in the answer (is the package enabled?)",
				provider.ErrNoLineType, provider.MaskNumber(number))}
	case lti.ErrorCode != nil && *lti.ErrorCode != 0:
		return provider.LineInfo{}, &provider.Error{Provider: Name, Code: strconv.Itoa(*lti.ErrorCode), HTTPStatus: http.StatusOK,
			Class: provider.Permanent, Err: fmt.Errorf("%w: lookup %s: line_type_intelligence error %d",
				provider.ErrNoLineType, provider.MaskNumber(number), *lti.ErrorCode)}
	}
	info.Type = lineType(lti.Type)
	info.Carrier = lti.CarrierName
	return info, nil
}

// lineType maps Lookup v2 line_type_intelligence.type values.
func lineType(s string) provider.LineType {
	switch s {
	case "mobile":
		return provider.LineMobile
	case "landline":
		return provider.LineLandline
	case "fixedVoip", "nonFixedVoip":
		return provider.LineVoIP
	case "tollFree":
		return provider.LineTollFree
	case "personal", "pager", "voicemail", "sharedCost", "uan":
		return provider.LineOther
	}
	return provider.LineUnknown
}

// Cancel cancels a scheduled message that has not been sent yet by
// updating its status to "canceled".
func (p *Provider) Cancel(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.messagesURL+"/"+url.PathEscape(id)+".json",
		strings.NewReader("Status=canceled"))
	if err != nil {
		return &provider.Error{Provider: Name, Class: provider.Permanent,
			Err: fmt.Errorf("%w: cancel %q: %w", provider.ErrInvalidRequest, id, err)}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.do(req, nil)
}
