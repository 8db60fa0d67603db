package rescreen

// Stats are the registry's counts as of one day, for the dashboard. They are
// aggregates over the stored projections, computed in a single read, so
// that the numbers on one page agree with each other.
type Stats struct {
	AsOf     Date `json:"as_of"`
	Families int  `json:"families"`
	Persons  int  `json:"persons"`
	// Stages counts families by stage: every stage in order, zeros
	// included.
	Stages []Count `json:"stages"`
	// Outcomes counts families by the outcome of their current
	// determination: every outcome in order, zeros included. Families not
	// evaluated yet are counted in NotEvaluated instead.
	Outcomes     []Count `json:"outcomes"`
	NotEvaluated int     `json:"not_evaluated"`
	// Countries counts members by the country their record gives, the
	// most members first. An empty Country is a member whose country is
	// not on record.
	Countries []CountryCount `json:"countries"`
	// HeldFamilies and HeldMembers count the removal holds in force in the
	// current determinations: the families with at least one member held,
	// and the members held (a member of a family unit once).
	HeldFamilies int `json:"held_families"`
	HeldMembers  int `json:"held_members"`
	// UnderFive counts the persons younger than five on AsOf, by their
	// recorded birth dates; a person without one is not counted.
	UnderFive int `json:"under_five"`
	// Overdue counts the deadlines of the current determinations that fell
	// due before AsOf and were not met (a member of a unit's once), and
	// OverdueFamilies the families with at least one; OverdueByClock
	// breaks the deadlines down by clock, the most first.
	Overdue         int            `json:"overdue"`
	OverdueFamilies int            `json:"overdue_families"`
	OverdueByClock  []OverdueCount `json:"overdue_by_clock"`
}

// Count is the number of families with one value of a field.
type Count struct {
	Value string `json:"value"`
	N     int    `json:"n"`
}

// CountryCount is the number of members of one country.
type CountryCount struct {
	Country string `json:"country"`
	Persons int    `json:"persons"`
}

// OverdueCount is the number of overdue deadlines of one clock (such as
// T-2).
type OverdueCount struct {
	Clock     string `json:"clock"`
	Title     string `json:"title"`
	Deadlines int    `json:"deadlines"`
}
