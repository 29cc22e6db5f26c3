/* The "Fassung wiederherstellen" button of the upload history (finance, project steering).
   A real <button> in the cell; its click hands the upload id to the grid's cellRendererData,
   which the page's callback turns into the restore. Rows without an id get no button. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
    window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.RestoreButton = function (props) {
    if (!props.value) {
        return null;
    }
    return React.createElement(
        "button",
        {
            type: "button",
            className: "btn btn-outline-primary btn-sm restore-button",
            onClick: function () {
                props.setData(props.value);
            },
        },
        "Fassung wiederherstellen"
    );
};
