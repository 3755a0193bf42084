<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CustomersPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="109"/>
        <source>Search name, account no., USCC, contact or phone</source>
        <extracomment>A stable name per column of ``CustomerTableModel`` (what the hidden-column setting keeps). &quot;Quality score below N&quot; choices of the data-quality filter.</extracomment>
        <translation>搜索名称、户号、统一社会信用代码、联系人或电话</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="112"/>
        <source>All classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="114"/>
        <source>Class %1</source>
        <translation>%1 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="119"/>
        <source>All voltages</source>
        <translation>全部电压等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="124"/>
        <source>All data quality</source>
        <translation>全部数据质量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="127"/>
        <source>Quality score below %1</source>
        <translation>质量评分低于 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="132"/>
        <source>Problem: %1</source>
        <translation>问题：%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="134"/>
        <source>Risk only</source>
        <translation>仅风险客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="183"/>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="186"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="192"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="288"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="319"/>
        <source>Recompute classes</source>
        <translation>重新分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="194"/>
        <source>Set class…</source>
        <translation>调整分级…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="196"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="198"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="200"/>
        <source>Data quality…</source>
        <translation>资料质量…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="202"/>
        <source>Balance grids…</source>
        <translation>网格均衡…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="204"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="330"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="345"/>
        <source>Undo recomputed classes</source>
        <translation>撤销重新分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="208"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="436"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="452"/>
        <source>Undo grid balancing</source>
        <translation>撤销网格均衡</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="251"/>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="252"/>
        <source>All parks</source>
        <translation>全部园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="278"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="306"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="363"/>
        <source>Pyramid classes</source>
        <translation>客户分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="279"/>
        <source>No class would change (%1 customers).</source>
        <translation>分级没有变化(共 %1 个客户)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="290"/>
        <source>Recomputing changes the class of %1 of %2 pooled customers. Recompute now? The customer list can undo this in one step.</source>
        <translation>重新分级将改变 %2 个入池客户中 %1 个的分级。现在重新分级吗?之后可在客户列表中一步撤销。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="307"/>
        <source>%1 customers classified, %2 changed.</source>
        <translation>已对 %1 户客户分级,其中 %2 户类别有变化。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="331"/>
        <source>Put the %1 changed class(es) back as they were?</source>
        <translation>把改变的 %1 个分级恢复原样吗?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="346"/>
        <source>%1 class(es) are back as they were.</source>
        <translation>已把 %1 个分级恢复原样。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="363"/>
        <source>Select a customer first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="369"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="374"/>
        <source>Set class</source>
        <translation>调整分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="369"/>
        <source>Class:</source>
        <translation>类别:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="374"/>
        <source>Reason:</source>
        <translation>调整原因:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="421"/>
        <source>Put the %1 customer(s) moved back in their previous grids</source>
        <translation>把调整过的 %1 个客户放回原网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="437"/>
        <source>Put the %1 customer(s) moved back in their previous grids?</source>
        <translation>把调整过的 %1 个客户放回原网格吗?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="453"/>
        <source>%1 customer(s) are back in their previous grids.</source>
        <translation>已把 %1 个客户放回原网格。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="469"/>
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="469"/>
        <source>Spreadsheets (*.xlsx *.xls *.csv)</source>
        <translation>电子表格 (*.xlsx *.xls *.csv)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="477"/>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="503"/>
        <source>Export customers</source>
        <translation>导出客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="503"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="532"/>
        <source>%1 customer(s) exported to %2</source>
        <translation>已导出 %1 个客户到 %2</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="540"/>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="618"/>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="637"/>
        <source>Assessing data quality…</source>
        <translation>正在评估数据质量…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="645"/>
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 户客户</numerusform>
        </translation>
    </message>
</context>
</TS>
