import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Button, inputClass } from '../../app/ui';
import { FolderBrowser } from './FolderBrowser';

/**
 * A folder path field with a Browse button: the native dialog in Electron (fs.pickFolder),
 * the server-side folder browser in browser mode.
 */
export function FolderInput({
  id,
  value,
  onChange,
  nativePicker,
  placeholder,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  nativePicker: boolean;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const [browsing, setBrowsing] = useState(false);
  const browse = async () => {
    if (nativePicker) {
      const picked = await api.fs.pickFolder.mutate();
      if (picked) onChange(picked);
    } else {
      setBrowsing((b) => !b);
    }
  };
  return (
    <div>
      <div className="flex gap-2">
        <input id={id} value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} spellCheck={false} autoComplete="off" className={inputClass} />
        <Button onClick={() => void browse()} aria-expanded={nativePicker ? undefined : browsing} aria-controls={nativePicker ? undefined : `${id}-browser`}>
          {t('common.browse')}
        </Button>
      </div>
      {browsing && (
        <div id={`${id}-browser`}>
          <FolderBrowser
            start={value.trim() || undefined}
            onCancel={() => setBrowsing(false)}
            onChoose={(p) => {
              onChange(p);
              setBrowsing(false);
            }}
          />
        </div>
      )}
    </div>
  );
}
