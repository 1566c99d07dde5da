package templatecheck

// What each function's code calls of AWS, read from the code itself: the
// IAM actions its role must allow, and may allow, are exactly these (plus
// what Lambda calls with the role for the triggers the template declares).
//
// The analysis is rapid type analysis over the module's own packages,
// type-checked from source (everything else from the compiler's export
// data, via `go list -export`):
//
//   - a function is reachable from the service's NewFunction (and the
//     Lambda entry, (*platform.Function).Invoke) through static calls and
//     references; a closure counts as reachable with its enclosing function;
//   - a method is reachable only if it is referenced AND a value of its
//     type is created in reachable code (a composite literal, new, a var of
//     the type), or if such a value is converted to an interface the method
//     belongs to (anyone holding the interface may call it). So the tips
//     function, which never builds an outbox relay, does not "call"
//     PublishBatch although Function.Invoke has a path to it;
//   - an AWS call is any call, in reachable code, to something outside the
//     module (an SDK client method, an interface method, a paginator) that
//     takes a *<service>.<Operation>Input of an aws-sdk-go-v2 service.
//
// What it does not see: a value converted to an interface with no methods
// (any) and later asserted to one with methods, reflection, and calls
// made with an input built by a function outside the module. The code here
// does none of these; TestAWSCalls_FollowWhatTheCodeCanReach pins the rules.
//
// IAM names most actions after the operation; the exceptions are here:
// TransactWriteItems needs the action of each kind of item it writes (read
// from the TransactWriteItem literals in reachable code), TransactGetItems
// needs GetItem, PublishBatch needs Publish.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

const sdkServicePrefix = "github.com/aws/aws-sdk-go-v2/service/"

// Program is the module's packages, type-checked from source.
type Program struct {
	Module string // module path
	fset   *token.FileSet
	pkgs   map[string]*srcPackage // module packages by import path
	decls  map[*types.Func]*ast.FuncDecl
}

type srcPackage struct {
	types   *types.Package
	info    *types.Info
	files   []*ast.File
	imports []string
}

type listedPackage struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Export     string
	Standard   bool
	Module     *struct {
		Path string
		Main bool
	}
	ImportMap map[string]string
	Imports   []string
	Error     *struct{ Err string }
}

// LoadProgram type-checks the module packages matched by patterns (and the
// module packages they import) from source, run from the module root.
func LoadProgram(root string, patterns ...string) (*Program, error) {
	cmd := exec.Command("go", append([]string{"list", "-export", "-deps", "-json"}, patterns...)...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.String())
	}
	var listed []listedPackage
	for dec := json.NewDecoder(&stdout); ; {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if p.Error != nil {
			return nil, fmt.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
		listed = append(listed, p)
	}
	prog := &Program{fset: token.NewFileSet(), pkgs: map[string]*srcPackage{}, decls: map[*types.Func]*ast.FuncDecl{}}
	exports := map[string]string{}
	for _, p := range listed {
		exports[p.ImportPath] = p.Export
		if p.Module != nil && p.Module.Main {
			prog.Module = p.Module.Path
		}
	}
	gc := importer.ForCompiler(prog.fset, "gc", func(path string) (io.ReadCloser, error) {
		if exports[path] == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(exports[path])
	}).(types.ImporterFrom)
	// go list -deps lists every package after its dependencies.
	for _, p := range listed {
		if p.Module == nil || p.Module.Path != prog.Module {
			continue
		}
		var files []*ast.File
		for _, f := range p.GoFiles {
			af, err := parser.ParseFile(prog.fset, filepath.Join(p.Dir, f), nil, parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			files = append(files, af)
		}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
			Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
		conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
			if real, ok := p.ImportMap[path]; ok {
				path = real
			}
			if sp, ok := prog.pkgs[path]; ok {
				return sp.types, nil
			}
			return gc.ImportFrom(path, p.Dir, 0)
		})}
		tp, err := conf.Check(p.ImportPath, prog.fset, files, info)
		if err != nil {
			return nil, fmt.Errorf("type-check %s: %w", p.ImportPath, err)
		}
		prog.pkgs[p.ImportPath] = &srcPackage{types: tp, info: info, files: files, imports: p.Imports}
		for _, f := range files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
						prog.decls[fn] = fd
					}
				}
			}
		}
	}
	return prog, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// Call is one AWS call found in the code, and where.
type Call struct {
	Service   string // IAM service prefix
	Operation string // SDK operation
	Actions   []string
	Where     string // file:line
}

// AWSCalls returns what the function built by pkgPath's NewFunction calls
// of AWS: the IAM actions by service prefix, and each call site.
func (p *Program) AWSCalls(pkgPath string) (map[string][]string, []Call, error) {
	sp, ok := p.pkgs[pkgPath]
	if !ok {
		return nil, nil, fmt.Errorf("package %s was not loaded", pkgPath)
	}
	ctor, ok := sp.types.Scope().Lookup("NewFunction").(*types.Func)
	if !ok {
		return nil, nil, fmt.Errorf("%s has no NewFunction", pkgPath)
	}
	w := &walker{prog: p, reached: map[*types.Func]bool{}, instantiated: map[*types.TypeName]bool{},
		pending: map[*types.TypeName][]*types.Func{}, writes: map[string]bool{}}
	w.reach(ctor)
	if fn, ok := p.lookupMethod(p.Module+"/microservices/platform", "Function", "Invoke"); ok {
		w.methodRef(fn) // Lambda calls it on the *Function NewFunction returns
	}
	// Package initialisation of every module package the service imports.
	for _, path := range p.closure(pkgPath) {
		pkg := p.pkgs[path]
		for _, f := range pkg.files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.GenDecl:
					if d.Tok == token.VAR {
						w.walk(pkg, d, nil)
					}
				case *ast.FuncDecl:
					if d.Recv == nil && d.Name.Name == "init" {
						w.walk(pkg, d.Body, nil)
					}
				}
			}
		}
	}
	for len(w.queue) > 0 {
		fn := w.queue[0]
		w.queue = w.queue[1:]
		decl := p.decls[fn]
		w.walk(p.pkgs[fn.Pkg().Path()], decl.Body, fn.Type().(*types.Signature))
	}
	actions := map[string][]string{}
	add := func(svc, a string) {
		if !slices.Contains(actions[svc], a) {
			actions[svc] = append(actions[svc], a)
		}
	}
	var problems []string
	for i, c := range w.calls {
		switch {
		case c.Service == "dynamodb" && c.Operation == "TransactWriteItems":
			c.Actions = slices.Sorted(maps.Keys(w.writes))
			if len(c.Actions) == 0 {
				problems = append(problems, c.Where+": TransactWriteItems, but no TransactWriteItem literal says what it writes")
			}
		case c.Service == "dynamodb" && c.Operation == "TransactGetItems":
			c.Actions = []string{"GetItem"}
		case c.Service == "sns" && c.Operation == "PublishBatch":
			c.Actions = []string{"Publish"}
		case c.Service == "apigatewaymanagementapi":
			// PostToConnection, GetConnection and DeleteConnection are all
			// execute-api:ManageConnections; the method is in the resource
			// ARN (…/<stage>/POST/@connections/*), which resourceOf checks.
			c.Service, c.Actions = "execute-api", []string{"ManageConnections"}
		default:
			c.Actions = []string{c.Operation}
		}
		w.calls[i] = c
		for _, a := range c.Actions {
			add(c.Service, a)
		}
	}
	for k := range actions {
		sort.Strings(actions[k])
	}
	if len(problems) > 0 {
		return actions, w.calls, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return actions, w.calls, nil
}

// closure lists the module packages path imports, itself included.
func (p *Program) closure(path string) []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(q string) {
		sp, ok := p.pkgs[q]
		if !ok || seen[q] {
			return
		}
		seen[q] = true
		for _, imp := range sp.imports {
			visit(imp)
		}
	}
	visit(path)
	return slices.Sorted(maps.Keys(seen))
}

func (p *Program) lookupMethod(pkgPath, typeName, method string) (*types.Func, bool) {
	sp, ok := p.pkgs[pkgPath]
	if !ok {
		return nil, false
	}
	tn, ok := sp.types.Scope().Lookup(typeName).(*types.TypeName)
	if !ok {
		return nil, false
	}
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, sp.types, method)
	fn, ok := obj.(*types.Func)
	return fn, ok
}

type walker struct {
	prog         *Program
	reached      map[*types.Func]bool
	queue        []*types.Func
	instantiated map[*types.TypeName]bool
	pending      map[*types.TypeName][]*types.Func // referenced methods of types not created (yet)
	calls        []Call
	writes       map[string]bool // IAM actions of the TransactWriteItem kinds in reachable code
}

func (w *walker) inModule(obj types.Object) bool {
	return obj != nil && obj.Pkg() != nil && w.prog.pkgs[obj.Pkg().Path()] != nil
}

// reach marks a function or method with a body in the module reachable.
func (w *walker) reach(fn *types.Func) {
	fn = fn.Origin()
	if w.reached[fn] || w.prog.decls[fn] == nil {
		return
	}
	w.reached[fn] = true
	w.queue = append(w.queue, fn)
}

// named returns the module type behind t (through one pointer), if any.
func (w *walker) named(t types.Type) *types.TypeName {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || !w.inModule(n.Obj()) {
		return nil
	}
	return n.Origin().Obj()
}

// methodRef is a static reference to a method: reachable once its
// receiver's type is created.
func (w *walker) methodRef(fn *types.Func) {
	fn = fn.Origin()
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		w.reach(fn)
		return
	}
	if types.IsInterface(recv.Type()) {
		return // dispatch: covered when a value is converted to the interface
	}
	tn := w.named(recv.Type())
	if tn == nil {
		return
	}
	if w.instantiated[tn] {
		w.reach(fn)
		return
	}
	w.pending[tn] = append(w.pending[tn], fn)
}

// instantiate records that a value of tn exists: its referenced methods
// become reachable, and so do the value fields of a struct.
func (w *walker) instantiate(tn *types.TypeName) {
	if tn == nil || w.instantiated[tn] {
		return
	}
	w.instantiated[tn] = true
	for _, fn := range w.pending[tn] {
		w.reach(fn)
	}
	delete(w.pending, tn)
	if st, ok := tn.Type().Underlying().(*types.Struct); ok {
		for f := range st.Fields() {
			if _, ptr := f.Type().(*types.Pointer); !ptr {
				w.instantiate(w.named(f.Type()))
			}
		}
	}
}

// escape: a value of type t is converted to target; if target is an
// interface, every method of it t has may be called by whoever holds it.
func (w *walker) escape(t, target types.Type) {
	if t == nil || target == nil {
		return
	}
	iface, ok := target.Underlying().(*types.Interface)
	if !ok {
		return
	}
	tn := w.named(t)
	if tn == nil {
		return
	}
	w.instantiate(tn)
	ms := types.NewMethodSet(types.NewPointer(tn.Type()))
	for m := range iface.Methods() {
		if sel := ms.Lookup(m.Pkg(), m.Name()); sel != nil {
			if fn, ok := sel.Obj().(*types.Func); ok {
				w.reach(fn)
			}
		}
	}
}

// walk inspects reachable code: references, created values, conversions
// to interfaces, AWS calls. sig is the enclosing function's signature (for
// return statements); nested closures bring their own.
func (w *walker) walk(pkg *srcPackage, root ast.Node, sig *types.Signature) {
	if root == nil {
		return
	}
	info := pkg.info
	typeOf := func(e ast.Expr) types.Type { return info.TypeOf(e) }
	var visit func(n ast.Node, sig *types.Signature)
	visit = func(root ast.Node, sig *types.Signature) {
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				visit(n.Body, typeOf(n).(*types.Signature))
				return false
			case *ast.Ident:
				if fn, ok := info.Uses[n].(*types.Func); ok && w.inModule(fn) {
					w.methodRef(fn)
				}
			case *ast.CompositeLit:
				t := typeOf(n)
				w.instantiate(w.named(t))
				w.compositeEscapes(info, n, t)
				w.transactItem(n, t)
			case *ast.ValueSpec:
				if n.Type != nil {
					t := typeOf(n.Type)
					if len(n.Values) == 0 {
						if _, ptr := t.(*types.Pointer); !ptr {
							w.instantiate(w.named(t))
						}
					}
					for _, v := range n.Values {
						w.escape(typeOf(v), t)
					}
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i := range n.Lhs {
						w.escape(typeOf(n.Rhs[i]), typeOf(n.Lhs[i]))
						if sel, ok := n.Lhs[i].(*ast.SelectorExpr); ok {
							w.transactField(typeOf(sel.X), sel.Sel.Name)
						}
					}
				}
			case *ast.ReturnStmt:
				if sig != nil && sig.Results().Len() == len(n.Results) {
					for i, r := range n.Results {
						w.escape(typeOf(r), sig.Results().At(i).Type())
					}
				}
			case *ast.SendStmt:
				if ch, ok := typeOf(n.Chan).Underlying().(*types.Chan); ok {
					w.escape(typeOf(n.Value), ch.Elem())
				}
			case *ast.CallExpr:
				w.call(info, n)
			}
			return true
		})
	}
	visit(root, sig)
}

// call handles new(T), conversions, arguments converted to interface
// parameters, and AWS calls.
func (w *walker) call(info *types.Info, n *ast.CallExpr) {
	if tv, ok := info.Types[n.Fun]; ok && tv.IsType() { // a conversion T(x)
		if len(n.Args) == 1 {
			w.escape(info.TypeOf(n.Args[0]), tv.Type)
		}
		return
	}
	if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			if b.Name() == "new" {
				w.instantiate(w.named(info.TypeOf(n)))
			}
			return
		}
	}
	sig, ok := info.TypeOf(n.Fun).Underlying().(*types.Signature)
	if !ok {
		return
	}
	for i, a := range n.Args {
		var pt types.Type
		switch {
		case sig.Variadic() && i >= sig.Params().Len()-1:
			last := sig.Params().At(sig.Params().Len() - 1).Type()
			if n.Ellipsis.IsValid() {
				pt = last
			} else {
				pt = last.(*types.Slice).Elem()
			}
		case i < sig.Params().Len():
			pt = sig.Params().At(i).Type()
		}
		w.escape(info.TypeOf(a), pt)
	}
	// An AWS call: a callee outside the module's concrete code taking an
	// SDK operation's input.
	if callee := calleeOf(info, n); callee != nil && w.inModule(callee) && !isInterfaceMethod(callee) {
		return
	}
	for _, a := range n.Args {
		ptr, ok := info.TypeOf(a).(*types.Pointer)
		if !ok {
			continue
		}
		nt, ok := ptr.Elem().(*types.Named)
		if !ok || nt.Obj().Pkg() == nil {
			continue
		}
		path := nt.Obj().Pkg().Path()
		svc, ok := strings.CutPrefix(path, sdkServicePrefix)
		if !ok || strings.Contains(svc, "/") || !strings.HasSuffix(nt.Obj().Name(), "Input") {
			continue
		}
		if svc == "dynamodbstreams" {
			svc = "dynamodb"
		}
		pos := w.prog.fset.Position(n.Pos())
		w.calls = append(w.calls, Call{Service: svc, Operation: strings.TrimSuffix(nt.Obj().Name(), "Input"),
			Where: fmt.Sprintf("%s:%d", relPath(pos.Filename), pos.Line)})
	}
}

func calleeOf(info *types.Info, n *ast.CallExpr) *types.Func {
	switch f := ast.Unparen(n.Fun).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[f].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		fn, _ := info.Uses[f.Sel].(*types.Func)
		return fn
	case *ast.IndexExpr: // a generic function instantiated explicitly
		if id, ok := f.X.(*ast.Ident); ok {
			fn, _ := info.Uses[id].(*types.Func)
			return fn
		}
		if sel, ok := f.X.(*ast.SelectorExpr); ok {
			fn, _ := info.Uses[sel.Sel].(*types.Func)
			return fn
		}
	}
	return nil
}

func isInterfaceMethod(fn *types.Func) bool {
	recv := fn.Type().(*types.Signature).Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// compositeEscapes: elements of a literal converted to interface-typed
// fields or elements.
func (w *walker) compositeEscapes(info *types.Info, n *ast.CompositeLit, t types.Type) {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i, e := range n.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok {
					for f := range u.Fields() {
						if f.Name() == id.Name {
							w.escape(info.TypeOf(kv.Value), f.Type())
						}
					}
				}
			} else if i < u.NumFields() {
				w.escape(info.TypeOf(e), u.Field(i).Type())
			}
		}
	case *types.Slice, *types.Array, *types.Map:
		var elem, key types.Type
		switch u := u.(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Array:
			elem = u.Elem()
		case *types.Map:
			elem, key = u.Elem(), u.Key()
		}
		for _, e := range n.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				w.escape(info.TypeOf(kv.Key), key)
				e = kv.Value
			}
			w.escape(info.TypeOf(e), elem)
		}
	}
}

// transactActions are the IAM actions of TransactWriteItem's members.
var transactActions = map[string]string{"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
	"ConditionCheck": "ConditionCheckItem"}

func isTransactWriteItem(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Name() == "TransactWriteItem" && n.Obj().Pkg() != nil &&
		n.Obj().Pkg().Path() == sdkServicePrefix+"dynamodb/types"
}

func (w *walker) transactItem(n *ast.CompositeLit, t types.Type) {
	if !isTransactWriteItem(t) {
		return
	}
	for _, e := range n.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				w.transactField(t, id.Name)
			}
		}
	}
}

func (w *walker) transactField(t types.Type, field string) {
	if t != nil && isTransactWriteItem(t) && transactActions[field] != "" {
		w.writes[transactActions[field]] = true
	}
}

func relPath(file string) string {
	if i := strings.Index(file, "/microservices/"); i >= 0 {
		return file[i+1:]
	}
	return file
}
