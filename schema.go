package rescreen

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// FieldType is the type of a field in the exchange format.
type FieldType string

// Field types.
const (
	TypeString  FieldType = "string"
	TypeEnum    FieldType = "enum"
	TypeDate    FieldType = "date"
	TypeBool    FieldType = "bool"    // true, false, or absent for unknown
	TypeList    FieldType = "list"    // strings; in CSV separated by ';'
	TypeRef     FieldType = "ref"     // SOURCE:SOURCE_ID of another record
	TypeRefList FieldType = "reflist" // references; in CSV separated by ';'
)

// Field describes one field of a kind: its name in JSON and CSV, its type,
// whether it is required, its controlled list, the kind it refers to, and a
// sentence about it. The exchange format, its JSON Schema, its documentation
// and the validators are all derived from these descriptions.
type Field struct {
	Name     string
	Type     FieldType
	Required bool
	Values   []string // for TypeEnum
	RefKind  Kind     // for TypeRef and TypeRefList
	Check    string   // "country" or "language": a code list the value must be in
	Doc      string
	index    []int
}

var (
	schemaOnce sync.Once
	schema     map[Kind][]Field
)

// Fields returns the fields of the kind, in the order of the exchange format.
func Fields(k Kind) []Field {
	schemaOnce.Do(buildSchema)
	return schema[k]
}

// FieldByName returns the field of the kind with the exchange name.
func FieldByName(k Kind, name string) (Field, bool) {
	for _, f := range Fields(k) {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

var (
	refType     = reflect.TypeFor[Ref]()
	refListType = reflect.TypeFor[[]Ref]()
	dateType    = reflect.TypeFor[Date]()
	boolPtrType = reflect.TypeFor[*bool]()
	strListType = reflect.TypeFor[[]string]()
	enumType    = reflect.TypeFor[Enum]()
)

func buildSchema() {
	schema = make(map[Kind][]Field, len(Kinds))
	for _, k := range Kinds {
		t := reflect.TypeOf(NewRecord(k)).Elem()
		schema[k] = structFields(t, nil)
	}
}

func structFields(t reflect.Type, prefix []int) []Field {
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		idx := append(append([]int{}, prefix...), i)
		if sf.Anonymous {
			out = append(out, structFields(sf.Type, idx)...)
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		f := Field{Name: name, Doc: sf.Tag.Get("doc"), index: idx}
		for _, opt := range strings.Split(sf.Tag.Get("x"), ",") {
			switch {
			case opt == "required":
				f.Required = true
			case strings.HasPrefix(opt, "ref="):
				f.RefKind = Kind(strings.TrimPrefix(opt, "ref="))
			case opt == "country" || opt == "language":
				f.Check = opt
			}
		}
		switch ft := sf.Type; {
		case ft == refType:
			f.Type = TypeRef
		case ft == refListType:
			f.Type = TypeRefList
		case ft == dateType:
			f.Type = TypeDate
		case ft == boolPtrType:
			f.Type = TypeBool
		case ft == strListType:
			f.Type = TypeList
		case ft.Implements(enumType):
			f.Type = TypeEnum
			f.Values = reflect.Zero(ft).Interface().(Enum).Values()
		case ft.Kind() == reflect.String:
			f.Type = TypeString
		default:
			panic(fmt.Sprintf("rescreen: field %s has unsupported type %s", sf.Name, ft))
		}
		out = append(out, f)
	}
	return out
}

func (f *Field) value(r Record) reflect.Value {
	return reflect.ValueOf(r).Elem().FieldByIndex(f.index)
}

// Get returns the field's value in its CSV text form: dates as 2006-01-02,
// booleans as true or false (empty when unknown), lists joined by ';'.
func (f *Field) Get(r Record) string {
	v := f.value(r)
	switch f.Type {
	case TypeDate:
		return v.Interface().(Date).String()
	case TypeBool:
		if v.IsNil() {
			return ""
		}
		if v.Elem().Bool() {
			return "true"
		}
		return "false"
	case TypeList, TypeRefList:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = v.Index(i).String()
		}
		return strings.Join(parts, ";")
	}
	return v.String()
}

// IsSet reports whether the field has a value in the record.
func (f *Field) IsSet(r Record) bool {
	return !f.value(r).IsZero()
}

// Set parses s into the field. Dates are read with dateLayout (the exchange
// form when empty). An empty s clears the field. The error text says what is
// wrong with the value, without the field's name.
func (f *Field) Set(r Record, s, dateLayout string) error {
	v := f.value(r)
	switch f.Type {
	case TypeDate:
		var d Date
		var err error
		if s != "" {
			if dateLayout == "" {
				dateLayout = DateLayout
			}
			d, err = ParseDateLayout(s, dateLayout)
			if err != nil {
				return err
			}
		}
		v.Set(reflect.ValueOf(d))
	case TypeBool:
		if s == "" {
			v.SetZero()
			return nil
		}
		b, ok := parseBool(s)
		if !ok {
			return fmt.Errorf("%q is not true or false", s)
		}
		v.Set(reflect.ValueOf(&b))
	case TypeList, TypeRefList:
		if s == "" {
			v.SetZero()
			return nil
		}
		parts := strings.Split(s, ";")
		sl := reflect.MakeSlice(v.Type(), 0, len(parts))
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				sl = reflect.Append(sl, reflect.ValueOf(p).Convert(v.Type().Elem()))
			}
		}
		v.Set(sl)
	default:
		v.SetString(s)
	}
	return nil
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "1", "si", "sí":
		return true, true
	case "false", "f", "no", "n", "0":
		return false, true
	}
	return false, false
}

// Refs returns the references the field holds in the record.
func (f *Field) Refs(r Record) []Ref {
	v := f.value(r)
	switch f.Type {
	case TypeRef:
		if v.String() == "" {
			return nil
		}
		return []Ref{Ref(v.String())}
	case TypeRefList:
		return v.Interface().([]Ref)
	}
	return nil
}

// SetRefs replaces the references the field holds.
func (f *Field) SetRefs(r Record, refs []Ref) {
	v := f.value(r)
	switch f.Type {
	case TypeRef:
		if len(refs) == 0 {
			v.SetString("")
		} else {
			v.SetString(string(refs[0]))
		}
	case TypeRefList:
		v.Set(reflect.ValueOf(refs))
	}
}
