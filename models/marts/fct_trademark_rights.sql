{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_changed_rights('trademark_id', 'trademark') }}"
) }}

-- depends_on: {{ ref('int_rights_changed') }}  (read by the changed-rights macros)
-- Grain: trademark (number/class) × term × holder period in force. In unit U's stock at D
-- when is_in_jingzhou, not is_madrid, unit_code = U and valid_from <= D < valid_to.
select * from {{ ref('int_trademark_rights_dated') }}
{{ only_changed_rights('trademark_id', 'trademark') }}
