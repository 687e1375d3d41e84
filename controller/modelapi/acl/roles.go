package acl

import (
	"context"
	"fmt"

	"github.com/loomhq/loom/repository"
)

// RoleModel is LoopBack 3's Role: a static role's name.
type RoleModel struct {
	ID          int    `json:"id,omitempty" loom:"id,generated"`
	Name        string `json:"name" validate:"required"`
	Description string `json:"description,omitempty"`
}

// ModelName is LoopBack 3's name of the model, Role.
func (RoleModel) ModelName() string { return "Role" }

// RoleMapping is LoopBack 3's RoleMapping: a principal given a role.
type RoleMapping struct {
	ID            int    `json:"id,omitempty" loom:"id,generated"`
	PrincipalType string `json:"principalType" validate:"required"`
	PrincipalID   string `json:"principalId" validate:"required"`
	RoleID        int    `json:"roleId"`
}

// MaxPrincipals caps the principals one check looks up role mappings
// for.
const MaxPrincipals = 32

// Repository is the [RoleStore] of roles and role mappings stored in
// repositories, on any connector.
type Repository struct {
	Roles    *repository.DefaultCrudRepository[RoleModel, int]
	Mappings *repository.DefaultCrudRepository[RoleMapping, int]
}

// NewRepository returns the role store whose roles and mappings conn
// stores (as the RoleModel and RoleMapping models).
func NewRepository(conn repository.Connector) (*Repository, error) {
	roles, err := repository.NewCrudRepository[RoleModel, int](conn)
	if err != nil {
		return nil, fmt.Errorf("acl: %w", err)
	}
	maps, err := repository.NewCrudRepository[RoleMapping, int](conn)
	if err != nil {
		return nil, fmt.Errorf("acl: %w", err)
	}
	return &Repository{Roles: roles, Mappings: maps}, nil
}

// Grant maps principal to the role named role, creating the role when
// there is none of that name.
func (r *Repository) Grant(ctx context.Context, role string, p Principal) error {
	found, err := r.Roles.FindOne(ctx, &repository.Filter[RoleModel]{Where: repository.Eq("name", role)})
	if err != nil {
		return fmt.Errorf("acl: %w", err)
	}
	if found == nil {
		if found, err = r.Roles.Create(ctx, RoleModel{Name: role}); err != nil {
			return fmt.Errorf("acl: %w", err)
		}
	}
	_, err = r.Mappings.Create(ctx, RoleMapping{PrincipalType: string(p.Type), PrincipalID: p.ID, RoleID: found.ID})
	if err != nil {
		return fmt.Errorf("acl: %w", err)
	}
	return nil
}

// InRole reports whether one of principals has a mapping to role, as
// LoopBack 3's static role resolution: the role by name, then a mapping
// of its id to the principal's type and id.
func (r *Repository) InRole(ctx context.Context, role string, principals []Principal) (bool, error) {
	if len(principals) > MaxPrincipals {
		principals = principals[:MaxPrincipals]
	}
	found, err := r.Roles.FindOne(ctx, &repository.Filter[RoleModel]{Where: repository.Eq("name", role)})
	if err != nil || found == nil {
		return false, err
	}
	for _, p := range principals {
		n, err := r.Mappings.Count(ctx, repository.And(repository.Eq("roleId", found.ID),
			repository.Eq("principalType", string(p.Type)), repository.Eq("principalId", p.ID)))
		if err != nil {
			return false, err
		}
		if n.Count > 0 {
			return true, nil
		}
	}
	return false, nil
}
