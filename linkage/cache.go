package linkage

// nameCache remembers the levels of name pairs already compared. Within a
// block, and among the pairs of a large file, the same two names meet
// again and again (two records of García against three of Hernández make
// six surname comparisons, one of them new), so a small direct-mapped
// table in front of the comparators saves most of their work. Each
// goroutine has its own; a nil cache compares every time.
type nameCache struct {
	keys []uint64
	vals []int8
	// strs holds, per place or text field, a cache of CompareStrings by
	// the values' interned numbers; made on first use.
	strs [maxFields]*nameCache
}

// cacheBits sizes a cache: 2^16 entries, about 600 KB, which stays in a
// core's second-level cache.
const cacheBits = 16

func newNameCache() *nameCache {
	return &nameCache{keys: make([]uint64, 1<<cacheBits), vals: make([]int8, 1<<cacheBits)}
}

// surnameBit marks, in a key, a comparison of single surnames, whose
// levels differ from those of CompareNames.
const surnameBit = 1 << 63

// lookup returns the slot of the pair of numbered names x and y under the
// comparator kind, and whether it holds their level.
func (c *nameCache) lookup(x, y uint32, kind uint64) (uint64, int, bool) {
	if x > y {
		x, y = y, x
	}
	key := kind | uint64(x)<<32 | uint64(y)
	slot := int(mix64(key) >> (64 - cacheBits))
	return key, slot, c.keys[slot] == key
}

// names is CompareNames through the cache.
func (c *nameCache) names(a, b *Name) NameLevel {
	if c == nil || a.id == 0 || b.id == 0 {
		return CompareNames(a, b)
	}
	key, slot, ok := c.lookup(a.id, b.id, 0)
	if ok {
		return NameLevel(c.vals[slot])
	}
	l := CompareNames(a, b)
	c.keys[slot], c.vals[slot] = key, int8(l)
	return l
}

// surname is compareSurname through the cache.
func (c *nameCache) surname(a, b *Name) NameLevel {
	if c == nil || a.id == 0 || b.id == 0 {
		return compareSurname(a, b)
	}
	key, slot, ok := c.lookup(a.id, b.id, surnameBit)
	if ok {
		return NameLevel(c.vals[slot])
	}
	l := compareSurname(a, b)
	c.keys[slot], c.vals[slot] = key, int8(l)
	return l
}

// strings is CompareStrings of field k's values of records i and j,
// through the field's cache.
func (c *nameCache) strings(k int, f *Field, i, j int) StringLevel {
	x, y := f.val[i], f.val[j]
	if c == nil || x == 0 || y == 0 {
		return CompareStrings(f.strs[i], f.strs[j])
	}
	sc := c.strs[k]
	if sc == nil {
		sc = newNameCache()
		c.strs[k] = sc
	}
	key, slot, ok := sc.lookup(x, y, 0)
	if ok {
		return StringLevel(sc.vals[slot])
	}
	l := CompareStrings(f.strs[i], f.strs[j])
	sc.keys[slot], sc.vals[slot] = key, int8(l)
	return l
}

// numberNames gives every distinct name of the dataset a number, for the
// caches. A Name's comparisons depend only on its Text and Glued (Words,
// Keys and nicknames are computed from Text), so those two make the key.
func (d *Dataset) numberNames() {
	ids := map[string]uint32{}
	var buf []byte
	num := func(nm *Name) {
		if nm.IsEmpty() {
			return
		}
		buf = append(append(append(buf[:0], nm.Text...), 0), nm.Glued...)
		id, ok := ids[string(buf)]
		if !ok {
			if len(ids) == 1<<30-1 { // keys keep the top two bits for the kind
				return // not numbered: compared without the cache
			}
			id = uint32(len(ids) + 1)
			ids[string(buf)] = id
		}
		nm.id = id
	}
	for r := range d.persons {
		p := &d.persons[r]
		num(&p.Given)
		num(&p.Surname1)
		num(&p.Surname2)
		num(&p.Surnames)
	}
	for k := range d.Fields {
		f := &d.Fields[k]
		for r := range f.names {
			num(&f.names[r])
		}
	}
	if d.rel != nil {
		for k := range d.rel.parents {
			for r := range d.rel.parents[k].names {
				num(&d.rel.parents[k].names[r])
			}
		}
	}
}
