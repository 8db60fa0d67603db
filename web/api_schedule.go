package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"rescreen"
)

// The scheduling API: the queue, a person's plan, and bookings, for the
// asylum offices' own scheduling systems. The service does every check;
// these handlers only read the request.

// scheduleParams are the query parameters of GET /api/v1/schedule.
var scheduleParams = []string{"scheduled", "after", "limit"}

// parseQueueFilter reads the queue's filter from a query string.
func parseQueueFilter(q url.Values) (rescreen.QueueFilter, error) {
	var p problems
	var f rescreen.QueueFilter
	for name, vs := range q {
		switch {
		case !slices.Contains(scheduleParams, name):
			p.add(name, "is not a known query parameter")
		case len(vs) > 1:
			p.add(name, "is given more than once")
		}
	}
	f.Scheduled = strings.TrimSpace(q.Get("scheduled"))
	f.After = strings.TrimSpace(q.Get("after"))
	if len(f.After) > maxQueryText {
		p.add("after", "must be at most %d characters", maxQueryText)
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxLimit {
			p.add("limit", "must be a whole number from 1 to %d", maxLimit)
		} else {
			f.Limit = n
		}
	}
	return f, p.invalid("web.parseQueueFilter")
}

// apiSchedule answers GET /api/v1/schedule: the persons waiting for a
// review or an interview, the longest wait first.
func (s *Server) apiSchedule(w http.ResponseWriter, r *http.Request) {
	f, err := parseQueueFilter(r.URL.Query())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page, err := s.families.SchedulingQueue(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, nonNilItems(page))
}

// apiSchedulePlan answers GET /api/v1/families/{id}/schedule-plan?person=ID:
// what booking the person needs.
func (s *Server) apiSchedulePlan(w http.ResponseWriter, r *http.Request) {
	var p problems
	q := r.URL.Query()
	person := strings.TrimSpace(q.Get("person"))
	for name := range q {
		if name != "person" {
			p.add(name, "is not a known query parameter")
		}
	}
	if person == "" || len(person) > maxQueryText {
		p.add("person", "is required: the id of a person record of the family")
	}
	if err := p.invalid("web.apiSchedulePlan"); err != nil {
		s.apiError(w, r, err)
		return
	}
	plan, err := s.families.SchedulePlan(r.Context(), rescreen.FamilyID(r.PathValue("id")), rescreen.PersonID(person))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, plan)
}

// apiAppointmentCreate answers POST /api/v1/families/{id}/appointments:
// it books an appointment (201 with the booking).
func (s *Server) apiAppointmentCreate(w http.ResponseWriter, r *http.Request) {
	var req rescreen.AppointmentRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	req.FamilyID = rescreen.FamilyID(r.PathValue("id"))
	b, err := s.families.Schedule(r.Context(), req)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

// apiAppointmentChange answers POST
// /api/v1/families/{id}/appointments/{appointment}: RESCHEDULE, CANCEL or
// NO_SHOW.
func (s *Server) apiAppointmentChange(w http.ResponseWriter, r *http.Request) {
	var c rescreen.AppointmentChange
	if err := decodeJSON(w, r, &c); err != nil {
		s.apiError(w, r, err)
		return
	}
	c.FamilyID, c.Appointment = rescreen.FamilyID(r.PathValue("id")), r.PathValue("appointment")
	b, err := s.families.ChangeAppointment(r.Context(), c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}
