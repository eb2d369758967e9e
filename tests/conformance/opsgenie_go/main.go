// Drives Opsgenie's official Go SDK (github.com/opsgenie/opsgenie-go-sdk-v2, the one the Terraform
// provider and pulumi-opsgenie use) through the schedule, rotation, override, timeline and export
// calls, against the host in OPSGENIE_API_URL (a bare host, as the SDK takes it). One JSON line per
// call: {"call", "ok", "detail"}; "ok" is true when the SDK sent the call, parsed the answer and
// the answer holds what was asked for. Exit status 1 when any call is not ok.
//
// OG_USER_ID, OG_TEAM_ID and OG_ESCALATION_ID name existing entities, for the by-id participants.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opsgenie/opsgenie-go-sdk-v2/client"
	"github.com/opsgenie/opsgenie-go-sdk-v2/og"
	"github.com/opsgenie/opsgenie-go-sdk-v2/schedule"
	"github.com/sirupsen/logrus"
)

var failed bool

// report prints one call's line; check is "" when the answer holds what was asked for.
func report(call string, err error, check string) {
	line := map[string]any{"call": call, "ok": err == nil && check == ""}
	if err != nil {
		line["detail"] = err.Error()
	} else if check != "" {
		line["detail"] = check
	}
	if !line["ok"].(bool) {
		failed = true
	}
	out, _ := json.Marshal(line)
	fmt.Println(string(out))
}

func expect(ok bool, why string) string {
	if ok {
		return ""
	}
	return why
}

func u32(v uint32) *uint32 { return &v }

func main() {
	ctx := context.Background()
	cfg := &client.Config{
		ApiKey:         os.Getenv("OPSGENIE_API_KEY"),
		OpsGenieAPIURL: client.ApiUrl(os.Getenv("OPSGENIE_API_URL")),
		RetryCount:     1,
		LogLevel:       logrus.ErrorLevel,
	}
	sc, err := schedule.NewClient(cfg)
	if err != nil {
		report("NewClient", err, "")
		os.Exit(1)
	}
	userID, teamID, escalationID := os.Getenv("OG_USER_ID"), os.Getenv("OG_TEAM_ID"), os.Getenv("OG_ESCALATION_ID")
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	enabled := true

	// Every participant form: user by username and by id, team and escalation by name and by id, none.
	weekly := og.Rotation{
		Name: "weekly", StartDate: &start, Type: og.Weekly, Length: 1,
		Participants: []og.Participant{
			{Type: og.User, Username: "alice@example.com"},
			{Type: og.User, Id: userID},
			{Type: og.Team, Name: "ops_team"},
			{Type: og.Team, Id: teamID},
			{Type: og.Escalation, Name: "sre_escalation"},
			{Type: og.Escalation, Id: escalationID},
			{Type: og.None},
		},
		// time-of-day: one window every day.
		TimeRestriction: &og.TimeRestriction{
			Type:        og.TimeOfDay,
			Restriction: og.Restriction{StartHour: u32(8), StartMin: u32(0), EndHour: u32(18), EndMin: u32(30)},
		},
	}
	daily := og.Rotation{
		Name: "daily", StartDate: &start, EndDate: &end, Type: og.Daily, Length: 2,
		Participants: []og.Participant{{Type: og.User, Username: "bob@example.com"}},
		// weekday-and-time-of-day: windows from one weekday to another.
		TimeRestriction: &og.TimeRestriction{
			Type: og.WeekdayAndTimeOfDay,
			RestrictionList: []og.Restriction{
				{StartDay: og.Monday, StartHour: u32(9), StartMin: u32(0), EndDay: og.Friday, EndHour: u32(17), EndMin: u32(0)},
				{StartDay: og.Saturday, StartHour: u32(10), StartMin: u32(30), EndDay: og.Sunday, EndHour: u32(12), EndMin: u32(0)},
			},
		},
	}
	hourly := og.Rotation{
		Name: "hourly", StartDate: &start, Type: og.Hourly, Length: 6,
		Participants: []og.Participant{{Type: og.User, Username: "alice@example.com"}, {Type: og.None}},
	}

	created, err := sc.Create(ctx, &schedule.CreateRequest{
		Name: "go-sdk", Description: "made by the official Go SDK", Timezone: "Europe/Berlin",
		Enabled: &enabled, OwnerTeam: &og.OwnerTeam{Name: "ops_team"},
		Rotations: []og.Rotation{weekly, daily, hourly},
	})
	if err != nil {
		report("Create", err, "")
		os.Exit(1)
	}
	report("Create", nil, expect(created.Id != "" && created.Name == "go-sdk", "no id or name"))
	id := created.Id

	got, err := sc.Get(ctx, &schedule.GetRequest{IdentifierType: schedule.Id, IdentifierValue: id})
	if err == nil {
		s := got.Schedule
		ok := s.Name == "go-sdk" && len(s.Rotations) == 3 && len(s.Rotations[0].Participants) == 7 &&
			s.Rotations[0].TimeRestriction != nil && s.Rotations[0].TimeRestriction.Type == og.TimeOfDay &&
			s.Rotations[1].TimeRestriction != nil && len(s.Rotations[1].TimeRestriction.RestrictionList) == 2 &&
			s.OwnerTeam != nil && s.OwnerTeam.Name == "ops_team"
		report("Get by id", nil, expect(ok, fmt.Sprintf("unexpected schedule %+v", s)))
	} else {
		report("Get by id", err, "")
	}
	byName, err := sc.Get(ctx, &schedule.GetRequest{IdentifierType: schedule.Name, IdentifierValue: "go-sdk"})
	report("Get by name", err, expect(err != nil || byName.Schedule.Id == id, "another schedule"))

	for _, expand := range []bool{false, true} {
		listed, err := sc.List(ctx, &schedule.ListRequest{Expand: &expand})
		check := ""
		if err == nil {
			check = expect(len(listed.Schedule) == 1 && (!expand || len(listed.Schedule[0].Rotations) == 3),
				fmt.Sprintf("listed %+v", listed.Schedule))
		}
		report(fmt.Sprintf("List expand=%v", expand), err, check)
	}

	updated, err := sc.Update(ctx, &schedule.UpdateRequest{
		IdentifierType: schedule.Id, IdentifierValue: id, Name: "go-sdk", Description: "changed",
		Timezone: "Europe/London", OwnerTeam: &og.OwnerTeam{Id: teamID},
		Rotations: []og.Rotation{weekly, daily},
	})
	report("Update by id", err, expect(err != nil || updated.Id == id, "another id"))
	_, err = sc.Update(ctx, &schedule.UpdateRequest{IdentifierType: schedule.Name, IdentifierValue: "go-sdk", Name: "go-sdk", Description: "by name"})
	report("Update by name", err, "")

	// Rotations on their own.
	rotation := hourly
	madeRotation, err := sc.CreateRotation(ctx, &schedule.CreateRotationRequest{
		ScheduleIdentifierType: schedule.Id, ScheduleIdentifierValue: id, Rotation: &rotation,
	})
	report("CreateRotation", err, expect(err != nil || madeRotation.Id != "", "no id"))
	rotationID := ""
	if err == nil {
		rotationID = madeRotation.Id
	}
	gotRotation, err := sc.GetRotation(ctx, &schedule.GetRotationRequest{
		ScheduleIdentifierType: schedule.Id, ScheduleIdentifierValue: id, RotationId: rotationID,
	})
	report("GetRotation", err, expect(err != nil || (gotRotation.Rotation.Name == "hourly" && gotRotation.Length == 6 && gotRotation.Info.Id == id), fmt.Sprintf("%+v", gotRotation)))
	rotations, err := sc.ListRotations(ctx, &schedule.ListRotationsRequest{ScheduleIdentifierType: schedule.Name, ScheduleIdentifierValue: "go-sdk"})
	report("ListRotations", err, expect(err != nil || len(rotations.Rotations) == 3, "not 3 rotations"))
	changed := og.Rotation{Name: "hourly-2", Type: og.Hourly, Length: 4, StartDate: &start,
		Participants: []og.Participant{{Type: og.Team, Name: "sre"}}}
	_, err = sc.UpdateRotation(ctx, &schedule.UpdateRotationRequest{
		ScheduleIdentifierType: schedule.Id, ScheduleIdentifierValue: id, RotationId: rotationID, Rotation: &changed,
	})
	report("UpdateRotation", err, "")

	// Overrides: a user by username or by id, or nobody ("none"); on every rotation or on named ones.
	overrideStart := start.AddDate(0, 0, 7)
	kinds := []schedule.Responder{
		{Type: schedule.UserResponderType, Username: "bob@example.com"},
		{Type: schedule.UserResponderType, Id: userID},
		{Type: "none"},
	}
	for i, who := range kinds {
		alias := fmt.Sprintf("go-override-%d", i)
		request := &schedule.CreateScheduleOverrideRequest{
			ScheduleIdentifierType: schedule.Id, ScheduleIdentifier: id, Alias: alias, User: who,
			StartDate: overrideStart.AddDate(0, 0, i), EndDate: overrideStart.AddDate(0, 0, i+1),
		}
		if i == 1 {
			request.Rotations = []schedule.RotationIdentifier{{Name: "weekly"}}
		}
		made, err := sc.CreateScheduleOverride(ctx, request)
		report(fmt.Sprintf("CreateScheduleOverride %d", i), err, expect(err != nil || made.Alias == alias, "another alias"))
	}
	// The SDK also offers team and escalation responders; the OAS takes "the user object ... or
	// reserved word none": a 422 naming the field, which the SDK parses into its ApiError.
	_, err = sc.CreateScheduleOverride(ctx, &schedule.CreateScheduleOverrideRequest{
		ScheduleIdentifierType: schedule.Id, ScheduleIdentifier: id, Alias: "go-team",
		User:      schedule.Responder{Type: schedule.TeamResponderType, Name: "sre"},
		StartDate: overrideStart, EndDate: overrideStart.AddDate(0, 0, 1),
	})
	var refused *client.ApiError
	report("CreateScheduleOverride team is a 422", nil, expect(asApiError(err, &refused) && refused.StatusCode == 422 && refused.Errors["user.type"] != "", fmt.Sprintf("%v", err)))
	override, err := sc.GetScheduleOverride(ctx, &schedule.GetScheduleOverrideRequest{
		ScheduleIdentifierType: schedule.Id, ScheduleIdentifier: id, Alias: "go-override-0",
	})
	report("GetScheduleOverride", err, expect(err != nil || (override.User.Type == schedule.UserResponderType && override.Parent.Id == id), fmt.Sprintf("%+v", override)))
	overrides, err := sc.ListScheduleOverride(ctx, &schedule.ListScheduleOverrideRequest{ScheduleIdentifierType: schedule.Name, ScheduleIdentifier: "go-sdk"})
	report("ListScheduleOverride", err, expect(err != nil || len(overrides.ScheduleOverride) == 3, "not 3 overrides"))
	_, err = sc.UpdateScheduleOverride(ctx, &schedule.UpdateScheduleOverrideRequest{
		ScheduleIdentifierType: schedule.Id, ScheduleIdentifier: id, Alias: "go-override-0",
		User:      schedule.Responder{Type: schedule.UserResponderType, Id: userID},
		StartDate: overrideStart, EndDate: overrideStart.AddDate(0, 0, 2),
		Rotations: []schedule.RotationIdentifier{{Id: rotationID}},
	})
	report("UpdateScheduleOverride", err, "")

	// Timelines: every expansion, each unit, a date, an interval.
	date := start.AddDate(0, 0, 7)
	for _, unit := range []schedule.Unit{schedule.Days, schedule.Weeks, schedule.Months} {
		timeline, err := sc.GetTimeline(ctx, &schedule.GetTimelineRequest{
			IdentifierType: schedule.Id, IdentifierValue: id, IntervalUnit: unit, Interval: 2, Date: &date,
			Expands: []schedule.ExpandType{schedule.Base, schedule.Forwarding, schedule.Override},
		})
		check := ""
		if err == nil {
			check = expect(timeline.ScheduleInfo.Id == id && len(timeline.FinalTimeline.Rotations) > 0 &&
				len(timeline.BaseTimeline.Rotations) > 0 && !timeline.StartDate.IsZero(), fmt.Sprintf("%+v", timeline))
		}
		report(fmt.Sprintf("GetTimeline %s", unit), err, check)
	}
	plain, err := sc.GetTimeline(ctx, &schedule.GetTimelineRequest{IdentifierType: schedule.Name, IdentifierValue: "go-sdk", IntervalUnit: schedule.Weeks})
	report("GetTimeline by name", err, expect(err != nil || len(plain.FinalTimeline.Rotations) > 0, "no rotations"))

	// Export (iCalendar), by id and by name, into files.
	folder, _ := os.MkdirTemp("", "og-export")
	defer os.RemoveAll(folder)
	for _, by := range []struct {
		kind  schedule.Identifier
		value string
	}{{schedule.Id, id}, {schedule.Name, "go-sdk"}} {
		_, err := sc.ExportSchedule(ctx, &schedule.ExportScheduleRequest{
			IdentifierType: by.kind, IdentifierValue: by.value, ExportedFilePath: folder + string(filepath.Separator),
		})
		check := ""
		if err == nil {
			content, _ := os.ReadFile(filepath.Join(folder, by.value+".ics"))
			check = expect(strings.HasPrefix(string(content), "BEGIN:VCALENDAR"), "not an iCalendar file")
		}
		report(fmt.Sprintf("ExportSchedule by %s", map[schedule.Identifier]string{schedule.Id: "id", schedule.Name: "name"}[by.kind]), err, check)
	}

	// Deletes.
	for i := range kinds {
		_, err := sc.DeleteScheduleOverride(ctx, &schedule.DeleteScheduleOverrideRequest{
			ScheduleIdentifierType: schedule.Id, ScheduleIdentifier: id, Alias: fmt.Sprintf("go-override-%d", i),
		})
		report(fmt.Sprintf("DeleteScheduleOverride %d", i), err, "")
	}
	_, err = sc.DeleteRotation(ctx, &schedule.DeleteRotationRequest{ScheduleIdentifierType: schedule.Id, ScheduleIdentifierValue: id, RotationId: rotationID})
	report("DeleteRotation", err, "")
	_, err = sc.Delete(ctx, &schedule.DeleteRequest{IdentifierType: schedule.Id, IdentifierValue: id})
	report("Delete", err, "")
	_, err = sc.Get(ctx, &schedule.GetRequest{IdentifierType: schedule.Id, IdentifierValue: id})
	var apiErr *client.ApiError
	report("Get after delete is a 404", nil, expect(err != nil && asApiError(err, &apiErr) && apiErr.StatusCode == 404, fmt.Sprintf("%v", err)))

	if failed {
		os.Exit(1)
	}
}

func asApiError(err error, target **client.ApiError) bool {
	e, ok := err.(*client.ApiError)
	if ok {
		*target = e
	}
	return ok
}
