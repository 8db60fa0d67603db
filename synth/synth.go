// Package synth generates a realistic synthetic class of separated families:
// the parents, legal guardians and children of the family-separation
// settlement (Ms. L. v. ICE), with every fact the system records about them,
// each record coming from the agency that would hold it (CBP_E3 for the
// families, persons and separations, ICE_EARM and ORR_UCPORTAL for custody,
// USCIS_GLOBAL for screenings, EOIR for court proceedings, CLASS_COUNSEL for
// election forms and counsel, NGO for outreach, TASK_FORCE for the 2023
// settlement). It exists so that the rules, the store, the exchange format
// and the user interface can be exercised, demonstrated and benchmarked on
// data with the shape and the awkward cases of the real class, without
// touching a real family's data.
//
// The class is reproducible. Each family is drawn from its own PCG stream,
// seeded from the configured seed and the family's index, so the same
// Config always yields the same records, family by family, and a large class
// can be produced in shards (Config.First) that together equal a single run.
// Generation streams one family at a time: memory stays bounded whatever the
// number of families, and a million families take seconds.
//
// # Where the figures come from
//
// The default class, DefaultFamilies families, reproduces the figures of
// settlement.md section 7 ("Figures for a realistic synthetic data set").
// Sources disagree and most ratios are derived, so each figure below is a
// target band, not a fact:
//
//   - About 2,700 separated children: between ORR's reconciled 2,737 and the
//     court's 2,666 (GAO-19-163, HHS OIG, KQED).
//   - About 2,800 parents: "over 2,800" (ECF 456). Since there are more
//     parents than children while some families have two or three
//     children, about one family in nine has both parents separated from
//     the child; 1.2% of the families are a child with a non-parent legal
//     guardian (a grandmother, an aunt or an uncle), whose 2018 coverage is
//     unresolved (COV-16). DefaultFamilies is the number of families that
//     yields both totals.
//   - At least 100 children under five at separation: "at least 103"
//     (Houston Chronicle) and 102 at the 2018-07-10 deadline, about 4%; the
//     ages within the band follow the expanded-class figures.
//   - About 470 parents removed without their children: 463 and 471
//     (America's Voice, ECF 456), about 18% of the parents.
//   - A negative initial credible- or reasonable-fear determination for 35%
//     to 40% of the parents screened while separated (gen.negative_cf_share,
//     UNCONFIRMED; the proxy is about 900 removal orders among 2,600). One
//     parent in five was never screened: some were removed before any
//     interview (settlement.md section 7).
//   - Countries: Guatemala, Honduras and El Salvador dominate; no shares
//     were published (gen.country_shares), so DefaultCountries chooses them.
//     About 38% of the Guatemalan families speak K'iche', Mam, Q'anjob'al or
//     Q'eqchi' first, and some of their members understand no Spanish
//     (R-SYS-10, W3).
//   - About a quarter of the removed parents have an ICE reunification
//     waiver: ICE recorded no choices before 2018-07-12, which leaves about
//     350 removed with no recorded choice (at least 348, OIG-21-60; the 199
//     waivers of 416 that BusinessLIVE reported count children, not
//     parents). About 20 removed parents have a return request (21 applied,
//     11 were ordered returned and 7 refused, ECF 456).
//   - Separations fall mostly between 2018-05-01 and 2018-06-20 (3,014
//     separated then, DHS OIG-20-06), about one in ten between July 2017
//     and April 2018 (the expanded class, COV-18), and a handful after the
//     2018-06-26 injunction, mostly for the reasons COV-23 singles out.
//
// Everything else (the shares of entries at ports, of separation reasons,
// of outcomes of the settlement's interviews, of election forms and of
// their defects, of outreach outcomes, of Task Force claims) is an
// UNCONFIRMED choice made to give each rule of the settlement enough cases,
// and is stated where it is drawn.
//
// # Names
//
// Persons carry Spanish double surnames by the Spanish convention: a
// child's first surname is the father's first surname and the second
// surname the mother's first surname, including when only the mother
// travelled (her own first surname is then the child's second). About 15%
// of the children who travelled with their mother alone carry her two
// surnames instead. Brazilian families follow the Portuguese convention:
// FirstSurname holds the surname written first, the mother's, and
// SecondSurname the father's last surname, so the child's SecondSurname is
// the father's SecondSurname. About one person in eight also has a name
// variant as another agency wrote it (accents dropped, or the first surname
// taken for a middle name), as linkage has to expect (R-SYS-4).
package synth

import (
	"errors"
	"fmt"
	"math"

	"rescreen"
)

// DefaultFamilies is the size of the default class: the number of families
// that yields about 2,700 children and about 2,800 parents (settlement.md
// section 7).
const DefaultFamilies = 2550

// DefaultSeed is the seed of the default class. It is the date of the class
// certification order, 2018-06-26, and has no other meaning.
const DefaultSeed = 20180626

// DefaultNegativeCFShare is the default share of negative determinations
// among the initial credible- and reasonable-fear screenings of parents, the
// middle of the 0.35 to 0.40 band of settlement.md (gen.negative_cf_share).
const DefaultNegativeCFShare = 0.375

// MaxFamilies bounds First + Families. Identifiers such as A-numbers are
// derived from the family index and must stay within their nine digits.
const MaxFamilies = 10_000_000

// Config says which class to generate. The zero value of every field means
// its default, so Config{Families: 1000} is a valid configuration.
type Config struct {
	// Families is the number of families; 0 means DefaultFamilies. Every
	// share is the same whatever the number, so N families have the
	// proportions of the default class.
	Families int
	// Seed selects the class. The same Config always gives the same
	// records; a different seed gives a different class of the same shape.
	Seed uint64
	// First is the index of the first family generated. A family's records
	// depend only on the seed and its index, so runs over disjoint ranges of
	// indices together equal one run over their union, and their source ids
	// never collide.
	First int
	// NegativeCFShare is the share of negative results among the initial
	// screenings of parents; 0 means DefaultNegativeCFShare.
	NegativeCFShare float64
	// Countries are the relative shares of the families by country of
	// nationality (ISO 3166-1 alpha-2); nil means DefaultCountries. Shares
	// need not add up to one.
	Countries []CountryShare
}

// CountryShare is the relative share of the families from one country.
type CountryShare struct {
	Country string
	Share   float64
}

// DefaultConfig returns the configuration of the default class.
func DefaultConfig() Config {
	return Config{
		Families:        DefaultFamilies,
		Seed:            DefaultSeed,
		NegativeCFShare: DefaultNegativeCFShare,
		Countries:       DefaultCountries(),
	}
}

// withDefaults returns cfg with its zero fields replaced by their defaults,
// or an error naming the first field that is out of range.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Families == 0 {
		cfg.Families = DefaultFamilies
	}
	if cfg.NegativeCFShare == 0 {
		cfg.NegativeCFShare = DefaultNegativeCFShare
	}
	if cfg.Countries == nil {
		cfg.Countries = DefaultCountries()
	}
	switch {
	case cfg.Families < 0:
		return cfg, fmt.Errorf("synth: Families is %d; it must not be negative", cfg.Families)
	case cfg.First < 0:
		return cfg, fmt.Errorf("synth: First is %d; it must not be negative", cfg.First)
	case cfg.First+cfg.Families > MaxFamilies:
		return cfg, fmt.Errorf("synth: First + Families is %d; at most %d families can be numbered", cfg.First+cfg.Families, MaxFamilies)
	case !(cfg.NegativeCFShare > 0 && cfg.NegativeCFShare <= 1):
		return cfg, fmt.Errorf("synth: NegativeCFShare is %v; it must be in (0, 1]", cfg.NegativeCFShare)
	}
	total := 0.0
	for _, c := range cfg.Countries {
		if !rescreen.IsCountry(c.Country) {
			return cfg, fmt.Errorf("synth: %q is not an ISO 3166-1 alpha-2 country code", c.Country)
		}
		if c.Share < 0 || math.IsNaN(c.Share) || math.IsInf(c.Share, 0) {
			return cfg, fmt.Errorf("synth: the share of %s is %v; it must be a non-negative number", c.Country, c.Share)
		}
		total += c.Share
	}
	if total <= 0 {
		return cfg, errors.New("synth: the country shares add up to zero")
	}
	return cfg, nil
}

// Generate produces the class family by family. It calls fn once per
// family, in index order, with a Dataset holding exactly that family's
// records, and stops at the first error fn returns, which it returns.
//
// The Dataset and its slices are reused for the next family, so that a
// million families need no more memory than one: fn must not keep the
// Dataset or its slices after it returns. The records themselves may be
// kept by copying them (for example with Dataset.Add or append): the
// generator never writes again into the strings, slices or pointers of a
// record it has handed out.
//
// Records carry their source and source id but no id, which the store
// assigns on import. Source ids are derived from the family index (see
// FamilySourceID) and are unique per kind and source across a run and
// across runs over disjoint ranges of families.
func Generate(cfg Config, fn func(d *rescreen.Dataset) error) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	g := newGenerator(cfg)
	for i := cfg.First; i < cfg.First+cfg.Families; i++ {
		g.family(i)
		if err := fn(&g.ds); err != nil {
			return err
		}
	}
	return nil
}

// Collect generates the class into one Dataset. Memory grows with the
// number of families (a few kilobytes each), so it suits the default class
// and test fixtures; stream larger classes with Generate.
func Collect(cfg Config) (*rescreen.Dataset, error) {
	all := &rescreen.Dataset{}
	err := Generate(cfg, func(d *rescreen.Dataset) error {
		appendDataset(all, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

func appendDataset(dst, src *rescreen.Dataset) {
	dst.Families = append(dst.Families, src.Families...)
	dst.Persons = append(dst.Persons, src.Persons...)
	dst.Names = append(dst.Names, src.Names...)
	dst.Identifiers = append(dst.Identifiers, src.Identifiers...)
	dst.Relationships = append(dst.Relationships, src.Relationships...)
	dst.Separations = append(dst.Separations, src.Separations...)
	dst.Custody = append(dst.Custody, src.Custody...)
	dst.Proceedings = append(dst.Proceedings, src.Proceedings...)
	dst.Screenings = append(dst.Screenings, src.Screenings...)
	dst.Evidence = append(dst.Evidence, src.Evidence...)
	dst.Elections = append(dst.Elections, src.Elections...)
	dst.Counsel = append(dst.Counsel, src.Counsel...)
	dst.Contacts = append(dst.Contacts, src.Contacts...)
	dst.Preferences = append(dst.Preferences, src.Preferences...)
	dst.ReturnRequests = append(dst.ReturnRequests, src.ReturnRequests...)
	dst.Benefits = append(dst.Benefits, src.Benefits...)
	dst.Appointments = append(dst.Appointments, src.Appointments...)
	dst.Notices = append(dst.Notices, src.Notices...)
}

// FamilySourceID returns the CBP_E3 source id of the family with the index,
// "F" followed by the index plus one in at least seven digits (F0000001 is
// the first family). Every other record of the family has a source id that
// starts with it: persons are F0000001-M1, F0000001-M2 and so on (adults
// first), and a person's records add a suffix to the person's id.
func FamilySourceID(index int) string {
	var b [24]byte
	return string(appendFamilySID(b[:0], index))
}

func appendFamilySID(b []byte, index int) []byte {
	n := uint64(index) + 1
	var digits [20]byte
	i := len(digits)
	for n > 0 || i > len(digits)-7 {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	b = append(b, 'F')
	return append(b, digits[i:]...)
}

// streamSeeds returns the two PCG seeds of family index under seed. The
// index is mixed by splitmix64 so that neighbouring families start far apart
// in PCG's state space.
func streamSeeds(seed uint64, index int) (uint64, uint64) {
	return seed, splitmix64(uint64(index) ^ 0x5deece66d)
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
