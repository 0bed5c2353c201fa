package twilio

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
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
	} `json:"line_type_intelligence"`
}

// Lookup asks Lookup v2 for the line type of number (Fields=
// line_type_intelligence, a paid package on the Twilio account).
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
	if lti := res.LineTypeIntelligence; lti != nil {
		info.Type = lineType(lti.Type)
		info.Carrier = lti.CarrierName
	}
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
