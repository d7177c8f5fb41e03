-- marts.customers.is_active (from the last order date) agrees with the activity spells
-- (from chained order dates): two independent routes to the same definition.
with

customers as (

    select * from {{ ref('customers') }}

),

spells as (

    select * from {{ ref('int_customer_activity_spells') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

active_by_spell as (

    select distinct spells.customer_id
    from spells
    cross join as_of
    where as_of.as_of_date between spells.active_from_date and spells.active_until_date

)

select
    customers.customer_id,
    customers.is_active,
    active_by_spell.customer_id is not null as is_active_by_spell
from customers
left join active_by_spell
    on customers.customer_id = active_by_spell.customer_id
where customers.is_active <> (active_by_spell.customer_id is not null)
