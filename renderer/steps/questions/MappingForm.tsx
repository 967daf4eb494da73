import { useTranslation } from 'react-i18next';
import { Field } from '../../app/ui';
import { Select } from './parts';
import { MAP_FIELDS, type Mapping } from './types';

/** One select per field: the file's columns, or automatic (found by name; the detected column is shown). */
export function MappingForm({ columns, detected, mapping, onChange }: { columns: string[]; detected: Mapping; mapping: Mapping; onChange: (m: Mapping) => void }) {
  const { t } = useTranslation();
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="mapping">
      {MAP_FIELDS.map((f) => {
        const id = `map-${f}`;
        const auto = detected[f];
        return (
          <Field key={f} label={t(`questions.import.fields.${f}`)} htmlFor={id}>
            <Select
              id={id}
              value={mapping[f] ?? ''}
              onChange={(e) => {
                const next = { ...mapping };
                if (e.target.value) next[f] = e.target.value;
                else delete next[f];
                onChange(next);
              }}
            >
              <option value="">{auto ? `${t('questions.import.none')} → ${auto}` : t('questions.import.none')}</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </Select>
          </Field>
        );
      })}
    </div>
  );
}
